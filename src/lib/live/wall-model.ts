/**
 * What the wall shows, as plain data, and how snapshots, deltas and events change it.
 * Pure functions: the reactive holder in wall-state.svelte.ts only stores what these return.
 */
import type { EventType, IncidentStatus } from '../contract/incident';
import type { DistrictStats, Hotspot, HotspotAlert, Kpis, Snapshot, SnapshotDelta, Trends } from '../contract/snapshot';
import type { Scope } from '../contract/roles';

export interface Aggregates {
	asOf: string | null;
	kpis: Kpis | null;
	districts: DistrictStats[];
	trends: Trends;
}

export const EMPTY_TRENDS: Trends = { response_daily: [], hourly: [], week_categories: [] };

export const EMPTY_AGGREGATES: Aggregates = { asOf: null, kpis: null, districts: [], trends: EMPTY_TRENDS };

/** Bounds of what the wall keeps: a snapshot from a misbehaving server cannot grow the page. */
export const LIMITS = {
	feed: 50,
	hotspots: 50,
	alerts: 5,
	districts: 64,
	responseDays: 31,
	hourlyRows: 48 * 32,
	weekCategories: 64
} as const;

function sameScope(a: Scope, b: Scope): boolean {
	return (a.district ?? null) === (b.district ?? null);
}

function boundTrends(t: Trends): Trends {
	return {
		response_daily: t.response_daily.slice(-LIMITS.responseDays),
		hourly: t.hourly.slice(-LIMITS.hourlyRows),
		week_categories: t.week_categories.slice(0, LIMITS.weekCategories),
		...(t.repeat_categories ? { repeat_categories: t.repeat_categories.slice(0, LIMITS.weekCategories) } : {})
	};
}

export function aggregatesFromSnapshot(s: Snapshot): Aggregates {
	return {
		asOf: s.as_of,
		kpis: s.kpis,
		districts: s.districts.slice(0, LIMITS.districts),
		trends: boundTrends(s.trends)
	};
}

/**
 * Applies a partial snapshot. Deltas for another scope, or older than what is shown (a late packet after a
 * resync), are ignored: returns the same object then, so nothing re-renders.
 */
export function applyDelta(cur: Aggregates, d: SnapshotDelta, scope: Scope): Aggregates {
	if (!sameScope(d.scope, scope)) return cur;
	if (cur.asOf !== null && Date.parse(d.as_of) < Date.parse(cur.asOf)) return cur;
	return {
		asOf: d.as_of,
		kpis: d.kpis ?? cur.kpis,
		districts: d.districts ? d.districts.slice(0, LIMITS.districts) : cur.districts,
		trends: d.trends ? boundTrends({ ...cur.trends, ...d.trends }) : cur.trends
	};
}

/** The hotspot list, strongest first, bounded. */
export function rankHotspots(list: readonly Hotspot[]): Hotspot[] {
	return [...list].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, LIMITS.hotspots);
}

/** What a status event makes of an incident's status in the feed. */
export function statusAfter(type: EventType, current: IncidentStatus): IncidentStatus {
	switch (type) {
		case 'responded':
			return current === 'resolved' ? current : 'responded';
		case 'resolved':
			return 'resolved';
		case 'reopened':
			return 'open';
		case 'assigned':
			return current;
	}
}

export interface ShownAlert {
	alert: HotspotAlert;
	/** Client time the alert arrived; the banner hides it after a while. */
	at: number;
}

/**
 * The alert banner's queue: `opened` and `escalated` show (newest first, one per hotspot), `closed` removes
 * the hotspot's alert, and alerts older than `ttlMs` drop off.
 */
export function nextAlerts(cur: readonly ShownAlert[], a: HotspotAlert, now: number, ttlMs: number): ShownAlert[] {
	const rest = cur.filter((s) => s.alert.hotspot.id !== a.hotspot.id && now - s.at < ttlMs);
	if (a.kind === 'closed') return rest;
	return [{ alert: a, at: now }, ...rest].slice(0, LIMITS.alerts);
}

export function expireAlerts(cur: readonly ShownAlert[], now: number, ttlMs: number): readonly ShownAlert[] {
	const rest = cur.filter((s) => now - s.at < ttlMs);
	return rest.length === cur.length ? cur : rest;
}
