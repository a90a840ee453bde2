/**
 * Statistics of a simulated period, to check the simulator against its targets and to report them.
 */
import type { CityPack } from '../city/pack.ts';
import type { History } from './history.ts';

export interface HistorySummary {
	incidents: number;
	per_year: number;
	district_share: Record<string, number>;
	source_share: Record<string, number>;
	/** Share of each category among incidents of each local month (0 = January). */
	category_share_by_month: Record<string, number[]>;
	responded_share: number;
	median_response_working_h: number;
	median_response_clock_h: number;
	/** Not answered by the deadline (answered late, or unanswered with the deadline passed by `asOf`). */
	overdue_share: number;
	resolved_share: number;
	reopened: number;
	/** Share of incidents created at 00–06 local and at 10–12 and 18–21 local. */
	night_share: number;
}

const median = (xs: number[]): number => {
	if (xs.length === 0) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

export function summarizeHistory(h: History, city: CityPack, asOf: Date = new Date(h.end)): HistorySummary {
	const cal = city.calendar;
	const firstResponse = new Map<string, number>();
	const resolved = new Set<string>();
	let reopened = 0;
	for (const e of h.events) {
		if (Date.parse(e.at) > asOf.getTime()) continue;
		if (e.type === 'responded' && !firstResponse.has(e.incident_id)) firstResponse.set(e.incident_id, Date.parse(e.at));
		if (e.type === 'resolved') resolved.add(e.incident_id);
		if (e.type === 'reopened') reopened++;
	}
	const n = h.incidents.length;
	const count = (key: (i: (typeof h.incidents)[number]) => string) => {
		const m: Record<string, number> = {};
		for (const i of h.incidents) m[key(i)] = (m[key(i)] ?? 0) + 1;
		for (const k of Object.keys(m)) m[k] = round(m[k]! / n);
		return m;
	};
	const byMonth: Record<string, number[]> = {};
	const monthTotals = new Array<number>(12).fill(0);
	const workH: number[] = [];
	const clockH: number[] = [];
	let overdue = 0;
	let night = 0;
	for (const i of h.incidents) {
		const created = new Date(i.created_at);
		const local = new Date(created.getTime() + cal.offsetMs(created.getTime()));
		const month = local.getUTCMonth();
		if (local.getUTCHours() < 6) night++;
		monthTotals[month]!++;
		(byMonth[i.category] ??= new Array<number>(12).fill(0))[month]!++;
		const deadline = cal.addWorkingHours(created, i.deadline_hours ?? city.deadlineHours(i.category, i.severity ?? 2));
		const resp = firstResponse.get(i.id);
		if (resp !== undefined) {
			workH.push(cal.workingMinutesBetween(created, new Date(resp)) / 60);
			clockH.push((resp - created.getTime()) / 3_600_000);
			if (resp > deadline.getTime()) overdue++;
		} else if (deadline.getTime() < asOf.getTime()) {
			overdue++;
		}
	}
	for (const k of Object.keys(byMonth)) byMonth[k] = byMonth[k]!.map((c, m) => round(c / Math.max(1, monthTotals[m]!)));
	const days = (Date.parse(h.end) - Date.parse(h.start)) / 86_400_000;
	return {
		incidents: n,
		per_year: Math.round((n / days) * 365),
		district_share: count((i) => i.district ?? 'unknown'),
		source_share: count((i) => i.source),
		category_share_by_month: byMonth,
		responded_share: round(firstResponse.size / n),
		median_response_working_h: round(median(workH), 2),
		median_response_clock_h: round(median(clockH), 2),
		overdue_share: round(overdue / n),
		resolved_share: round(resolved.size / n),
		reopened,
		night_share: round(night / n)
	};
}
