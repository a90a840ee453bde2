/** The district list's filters as plain data: the API query they make and whether a live incident fits. */
import type { IncidentView } from '../../contract/incident';

export type StatusFilter = 'open' | 'overdue' | 'all';
export type Period = '24h' | '7d' | '30d' | 'all';

export interface ListFilter {
	status: StatusFilter;
	category: string | null;
	source: string | null;
	period: Period;
}

/** Rows fetched per page of the cursor API. */
export const PAGE_SIZE = 30;

/** A head of a district first sees what still waits for an answer, over the last month. */
export const DEFAULT_FILTER: ListFilter = { status: 'open', category: null, source: null, period: '30d' };

export const STATUS_OPTIONS: readonly { value: StatusFilter; label: string }[] = [
	{ value: 'open', label: 'Без ответа' },
	{ value: 'overdue', label: 'Просроченные' },
	{ value: 'all', label: 'Все' }
];

export const PERIOD_OPTIONS: readonly { value: Period; label: string }[] = [
	{ value: '24h', label: '24 часа' },
	{ value: '7d', label: '7 дней' },
	{ value: '30d', label: '30 дней' },
	{ value: 'all', label: 'Всё время' }
];

const PERIOD_MS: Record<Exclude<Period, 'all'>, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

/** Start of the period (RFC 3339 UTC), or null for all time. */
export function periodFrom(period: Period, now: number): string | null {
	return period === 'all' ? null : new Date(now - PERIOD_MS[period]).toISOString();
}

/** Query string of `GET /api/v1/incidents` for one page. */
export function listQuery(district: string, f: ListFilter, now: number, cursor: string | null, limit: number): URLSearchParams {
	const q = new URLSearchParams({ district, status: f.status, limit: String(limit) });
	if (f.category) q.set('category', f.category);
	if (f.source) q.set('source', f.source);
	const from = periodFrom(f.period, now);
	if (from) q.set('from', from);
	if (cursor) q.set('cursor', cursor);
	return q;
}

/** Whether a live incident belongs in the list as it is filtered now (the server's rules, in the browser). */
export function matchesFilter(v: IncidentView, district: string, f: ListFilter, now: number): boolean {
	if (v.district !== district) return false;
	if (f.category && v.category !== f.category) return false;
	if (f.source && v.source !== f.source) return false;
	const from = periodFrom(f.period, now);
	if (from && Date.parse(v.created_at) < Date.parse(from)) return false;
	if (f.status === 'open') return v.status === 'open';
	if (f.status === 'overdue') return v.status === 'open' && Date.parse(v.deadline_at) < now;
	return true;
}

export function sameFilter(a: ListFilter, b: ListFilter): boolean {
	return a.status === b.status && a.category === b.category && a.source === b.source && a.period === b.period;
}
