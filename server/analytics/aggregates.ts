/**
 * The aggregate parts of a Snapshot (`kpis`, `districts`, `trends`) for one scope, from the query
 * modules; the arithmetic that turns their rows into contract numbers lives here.
 */
import type { DistrictInfo } from '../../src/lib/contract/city.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { DistrictStats, Kpis, Trends } from '../../src/lib/contract/snapshot.ts';
import type { Store } from '../store/client.ts';
import { BASELINE_WEEKS, queryDistricts, type DistrictRow } from './queries/districts.ts';
import { queryHourly } from './queries/hourly.ts';
import { queryKpis, type KpiRow } from './queries/kpis.ts';
import { queryResponseDaily } from './queries/response-daily.ts';
import { queryWeekCategories } from './queries/week-categories.ts';
import { boundaries, isoOut, USUAL_WEEKS, type Boundaries } from './time.ts';

/** The part of a city pack analytics needs. */
export interface AnalyticsCity {
	districts: readonly DistrictInfo[];
}

export interface Aggregates {
	kpis: Kpis;
	districts: DistrictStats[];
	trends: Trends;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export function kpisFromRow(r: KpiRow): Kpis {
	return {
		today: r.today,
		today_usual: round(r.usual_total / USUAL_WEEKS, 2),
		open: r.open,
		overdue: r.overdue,
		median_response_min_today: r.answered_today > 0 && r.median_today !== null ? round(r.median_today, 1) : null,
		median_response_min_7d: r.answered_7d > 0 && r.median_7d !== null ? round(r.median_7d, 1) : null,
		sla_share_7d: r.sla_due > 0 ? round(r.sla_met / r.sla_due, 4) : null
	};
}

/**
 * tension = (last 24 h + 1) / (mean of the same 24 h in the 8 previous weeks + 1). The added one keeps
 * a quiet district from swinging between 0 and infinity on single incidents; 1 means usual.
 * A district scope lists only its own district: a district head never receives another district's
 * numbers, and the city average comes from the city scope, which the wall and admin may read.
 */
export function districtStats(city: AnalyticsCity, rows: readonly DistrictRow[], scope: Scope): DistrictStats[] {
	const byCode = new Map(rows.map((r) => [r.district, r]));
	return city.districts
		.filter((d) => scope.district === null || d.code === scope.district)
		.map((d) => {
			const r = byCode.get(d.code);
			const last24 = r?.last_24h ?? 0;
			const usual = (r?.baseline_total ?? 0) / BASELINE_WEEKS;
			return {
				code: d.code,
				name: d.name,
				population: d.population,
				today: r?.today ?? 0,
				last_24h: last24,
				per_10k_24h: d.population ? round((last24 / d.population) * 10_000, 2) : null,
				tension: round((last24 + 1) / (usual + 1), 2),
				open: r?.open ?? 0,
				overdue: r?.overdue ?? 0
			};
		});
}

async function trends(store: Store, b: Boundaries, tz: string, district: string | null): Promise<Trends> {
	const days = new Map((await queryResponseDaily(store, b, tz, district)).map((r) => [r.day, r]));
	const hourly = await queryHourly(store, b, district);
	const week = await queryWeekCategories(store, b, district);
	return {
		response_daily: b.responseDays.map((day) => {
			const r = days.get(day);
			return r && r.n > 0
				? { day, p50_min: r.p50_min === null ? null : round(r.p50_min, 1), p90_min: r.p90_min === null ? null : round(r.p90_min, 1), n: r.n }
				: { day, p50_min: null, p90_min: null, n: 0 };
		}),
		hourly: hourly.map((h) => ({ hour: isoOut(h.hour), category: h.category, n: h.n })),
		week_categories: week
	};
}

export async function computeAggregates(store: Store, city: AnalyticsCity, tz: string, scope: Scope, now: Date): Promise<Aggregates> {
	const b = boundaries(now, tz);
	// One after another: the embedded engine runs one query at a time anyway.
	const kpis = kpisFromRow(await queryKpis(store, b, tz, scope.district));
	const districts = districtStats(city, await queryDistricts(store, b, scope.district), scope);
	return { kpis, districts, trends: await trends(store, b, tz, scope.district) };
}
