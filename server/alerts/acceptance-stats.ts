/**
 * Alert → acceptance times for Snapshots: one query for the city and every district over the last 7 days,
 * shared by every scope and reused for a few seconds (the aggregates of six scopes are recomputed after
 * every ingest; an acceptance lands about a second after its press, so a short reuse is never felt).
 * A scope's figures are cut from it here: a district scope gets only its own district's numbers.
 */
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { AlertAcceptance, DistrictStats, Kpis } from '../../src/lib/contract/snapshot.ts';
import type { Store } from '../store/client.ts';
import { acceptanceTimes, type AcceptanceTimeRow } from './queries/acceptance-times.ts';

export const ACCEPTANCE_DAYS = 7;
const TTL_MS = 5_000;

const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

export function acceptanceOf(r: AcceptanceTimeRow | undefined): AlertAcceptance | null {
	return r && r.sent > 0 ? { sent: r.sent, accepted: r.accepted, median_min: round1(r.median_min), p90_min: round1(r.p90_min) } : null;
}

export interface AcceptanceFigures {
	/** The scope's own figure (the city's for the city scope). */
	scope: AlertAcceptance | null;
	/** District code → figure, for the scope's districts. */
	districts: Map<string, AlertAcceptance | null>;
}

export class AcceptanceStats {
	private cached: { at: number; wall: number; rows: AcceptanceTimeRow[] } | null = null;
	private refreshing: Promise<AcceptanceTimeRow[]> | null = null;

	constructor(
		private readonly store: Store,
		private readonly districts: readonly string[],
		private readonly onError?: (err: unknown) => void,
		private readonly ttlMs = TTL_MS
	) {}

	private async rows(now: Date): Promise<AcceptanceTimeRow[]> {
		const c = this.cached;
		if (c && Date.now() - c.wall < this.ttlMs && Math.abs(now.getTime() - c.at) < this.ttlMs) return c.rows;
		this.refreshing ??= acceptanceTimes(this.store, { from: new Date(now.getTime() - ACCEPTANCE_DAYS * 86_400_000), to: new Date(now.getTime() + 1), districts: ['', ...this.districts] })
			.then((rows) => {
				this.cached = { at: now.getTime(), wall: Date.now(), rows };
				return rows;
			})
			.finally(() => (this.refreshing = null));
		return this.refreshing;
	}

	/** A failed read never fails a Snapshot: the last figures (or none) are used and the next call retries. */
	async forScope(scope: Scope, now: Date): Promise<AcceptanceFigures> {
		const rows = await this.rows(now).catch((e: unknown) => {
			this.onError?.(e);
			return this.cached?.rows ?? [];
		});
		return figuresFor(rows, scope);
	}
}

export function figuresFor(rows: readonly AcceptanceTimeRow[], scope: Scope): AcceptanceFigures {
	const by = new Map(rows.map((r) => [r.district, r]));
	const districts = new Map<string, AlertAcceptance | null>();
	for (const r of rows) if (r.district !== '' && (scope.district === null || r.district === scope.district)) districts.set(r.district, acceptanceOf(r));
	return { scope: acceptanceOf(by.get(scope.district ?? '')), districts };
}

/** Puts a scope's acceptance figures into its aggregates (additive fields only). */
export function withAcceptance<T extends { kpis: Kpis; districts: DistrictStats[] }>(agg: T, f: AcceptanceFigures): T {
	return {
		...agg,
		kpis: { ...agg.kpis, alert_acceptance_7d: f.scope },
		districts: agg.districts.map((x) => ({ ...x, alert_acceptance_7d: f.districts.get(x.code) ?? null }))
	};
}
