/**
 * Repeat shares for Snapshots: one city-wide query (by district, by category, by both) shared by every
 * scope and reused for a minute — a 30-day share moves slowly, and the aggregates of six scopes are
 * recomputed after every ingest. A scope's figures are cut from it here: a district scope sees only
 * its own district's numbers.
 */
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { DistrictStats, Kpis, RepeatCategory } from '../../src/lib/contract/snapshot.ts';
import type { Store } from '../store/client.ts';
import { queryRepeatShare, type RepeatShareRow } from './queries/repeat-share.ts';
import type { RepeatWindows } from './windows.ts';

export const REPEAT_STATS_TTL_MS = 60_000;
const COST_FACTOR = 20;
/** A pass this cheap (a city's real volume) is waited for after new data; a costlier one runs behind. */
const INLINE_MAX_MS = 250;

export interface RepeatFigures {
	kpis: Pick<Kpis, 'repeat_share_30d'>;
	/** District code → share, for the scope's districts. */
	districts: Map<string, number | null>;
	categories: RepeatCategory[];
}

export class RepeatStats {
	/** `gen`: the ingest notifications counted when the pass that read these rows started. */
	private cached: { at: number; wall: number; gen: number; rows: RepeatShareRow[] } | null = null;
	private refreshing: { gen: number; rows: Promise<RepeatShareRow[]> } | null = null;
	/** The last refresh's duration: the engine runs one query at a time, so a slow one runs less often. */
	private lastCostMs = 0;
	/** Ingest notifications so far: rows read before the latest one may miss its data. */
	private gen = 0;

	constructor(
		private readonly store: Store,
		private readonly windows: RepeatWindows,
		private readonly ttlMs = REPEAT_STATS_TTL_MS
	) {}

	/**
	 * Rows as of `now`. Older than the TTL (wall clock, or `now` moved by more), or new data since: a cheap
	 * pass is waited for; a costly one starts in the background and the last rows are used meanwhile, so a
	 * 10 M-row store never holds a Snapshot up for this figure; only the very first call waits.
	 */
	async rows(now: Date): Promise<RepeatShareRow[]> {
		const c = this.cached;
		// At most ~5 % of the engine's time: a 7 s pass over 10 M rows is refreshed every ~2.5 minutes.
		const ttl = Math.max(this.ttlMs, COST_FACTOR * this.lastCostMs);
		const age = c ? Date.now() - c.wall : Infinity;
		// New data makes the rows stale at once when a pass is cheap; a costly pass waits for its share of the
		// engine. Six scopes share the rows: one pass serves a whole round of pushes.
		const cheap = this.lastCostMs <= INLINE_MAX_MS;
		const dirty = c !== null && c.gen < this.gen;
		const outdated = dirty && (cheap || age >= COST_FACTOR * this.lastCostMs);
		const fresh = c && age < ttl && Math.abs(now.getTime() - c.at) < ttl && !outdated;
		if (fresh) return c.rows;
		const refresh = this.refresh(now);
		if (c && !cheap) {
			refresh.catch(() => undefined); // the last rows stay in use; the next call retries
			return c.rows;
		}
		return refresh;
	}

	/** Called after every ingest notification. */
	invalidate(): void {
		this.gen += 1;
	}

	/**
	 * A pass that reads everything notified so far. One already running since the latest notification is
	 * shared; one that started before it may have missed that data, so a new pass follows it.
	 */
	private refresh(now: Date): Promise<RepeatShareRow[]> {
		if (this.refreshing && this.refreshing.gen === this.gen) return this.refreshing.rows;
		const gen = this.gen;
		const before = this.refreshing?.rows.catch(() => undefined) ?? Promise.resolve();
		const rows: Promise<RepeatShareRow[]> = before
			.then(() => {
				const started = Date.now();
				return queryRepeatShare(this.store, now, this.windows).then((r) => {
					this.lastCostMs = Date.now() - started;
					return r;
				});
			})
			.then((r) => {
				if (!this.cached || this.cached.gen <= gen) this.cached = { at: now.getTime(), wall: Date.now(), gen, rows: r };
				return r;
			})
			.finally(() => {
				if (this.refreshing?.rows === rows) this.refreshing = null;
			});
		this.refreshing = { gen, rows };
		return rows;
	}

	async forScope(scope: Scope, now: Date): Promise<RepeatFigures> {
		return figuresFor(await this.rows(now), scope);
	}
}

const share = (r: RepeatShareRow | undefined): number | null => (r && r.n > 0 ? Math.round((r.repeats / r.n) * 10_000) / 10_000 : null);

export function figuresFor(rows: readonly RepeatShareRow[], scope: Scope): RepeatFigures {
	const d = scope.district ?? '';
	const total = rows.find((r) => r.district === d && r.category === '');
	const districts = new Map<string, number | null>();
	for (const r of rows) {
		if (r.district !== '' && r.category === '' && (scope.district === null || r.district === scope.district)) districts.set(r.district, share(r));
	}
	const categories = rows
		.filter((r) => r.district === d && r.category !== '' && r.n > 0)
		.map((r) => ({ category: r.category, n: r.n, repeats: r.repeats, share: share(r) ?? 0 }))
		.sort((a, b) => b.repeats - a.repeats || b.n - a.n || a.category.localeCompare(b.category));
	return { kpis: { repeat_share_30d: share(total) }, districts, categories };
}

/** Puts a scope's repeat figures into its aggregates (additive fields only). */
export function withRepeats<T extends { kpis: Kpis; districts: DistrictStats[]; trends: object }>(agg: T, f: RepeatFigures): T {
	return {
		...agg,
		kpis: { ...agg.kpis, repeat_share_30d: f.kpis.repeat_share_30d },
		districts: agg.districts.map((x) => ({ ...x, repeat_share_30d: f.districts.get(x.code) ?? null })),
		trends: { ...agg.trends, repeat_categories: f.categories }
	};
}
