/**
 * The aggregate parts of a Snapshot (`kpis`, `districts`, `trends`) for one scope, from the query
 * modules; the arithmetic that turns their rows into contract numbers lives here.
 * Two queries: the live response figures over the checkpoint with its guard (live.ts) and everything
 * that needs only the last 8 weeks (recent.ts). If the guard shows late data under the checkpoint, a
 * new one is built and the live figures are read again.
 */
import type { DistrictInfo } from '../../src/lib/contract/city.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { DistrictStats, Kpis, Trends } from '../../src/lib/contract/snapshot.ts';
import type { Store } from '../store/client.ts';
import { Checkpoints } from './checkpoint.ts';
import { BASELINE_WEEKS, type DistrictRow } from './queries/districts.ts';
import type { KpiRow } from './queries/kpis.ts';
import { queryLive, type LiveFigures } from './queries/live.ts';
import { queryRecent } from './queries/recent.ts';
import type { ResponseDayRow } from './queries/response-daily.ts';
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
		sla_share_7d: r.sla_due > 0 ? round(r.sla_met / r.sla_due, 4) : null,
		repeat_share_30d: null
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

export function responseDaily(b: Boundaries, rows: readonly ResponseDayRow[]): Trends['response_daily'] {
	const days = new Map(rows.map((r) => [r.day, r]));
	return b.responseDays.map((day) => {
		const r = days.get(day);
		return r && r.n > 0
			? { day, p50_min: r.p50_min === null ? null : round(r.p50_min, 1), p90_min: r.p90_min === null ? null : round(r.p90_min, 1), n: r.n }
			: { day, p50_min: null, p90_min: null, n: 0 };
	});
}

/** The live figures over a checkpoint whose guard still holds (rebuilt at most twice on late data). */
async function liveFigures(ckpts: Checkpoints, store: Store, b: Boundaries, tz: string, district: string | null): Promise<LiveFigures> {
	let c = await ckpts.forSnapshot(b.now);
	for (let attempt = 0; ; attempt++) {
		const live = await queryLive(store, b, tz, district, c);
		if (Checkpoints.matches(c, live.guard)) {
			ckpts.maybeAdvance(c, b.now);
			return live;
		}
		if (attempt === 2) throw new Error('analytics: data keeps arriving under every new checkpoint');
		c = await ckpts.rebuild(c, b.now);
	}
}

export async function computeAggregates(
	store: Store,
	ckpts: Checkpoints,
	city: AnalyticsCity,
	tz: string,
	scope: Scope,
	now: Date
): Promise<Aggregates> {
	const b = boundaries(now, tz);
	const [live, recent] = await Promise.all([liveFigures(ckpts, store, b, tz, scope.district), queryRecent(store, b, tz, scope.district)]);
	const s = live.scope;
	const kpis = kpisFromRow({ ...s, today: recent.scope.today, usual_total: recent.scope.usual_total });
	const openBy = new Map(live.districts.map((r) => [r.district, r]));
	const districtRows: DistrictRow[] = recent.districts.map((r) => ({
		district: r.district!,
		today: r.today,
		last_24h: r.last_24h,
		baseline_total: r.baseline_total,
		open: openBy.get(r.district)?.open ?? 0,
		overdue: openBy.get(r.district)?.overdue ?? 0
	}));
	// districts with open incidents but nothing in the last 8 weeks
	for (const r of live.districts) {
		if (!recent.districts.some((x) => x.district === r.district)) {
			districtRows.push({ district: r.district!, today: 0, last_24h: 0, baseline_total: 0, open: r.open, overdue: r.overdue });
		}
	}
	return {
		kpis,
		districts: districtStats(city, districtRows, scope),
		trends: {
			response_daily: responseDaily(b, live.days.map((r) => ({ day: r.day!, p50_min: r.p50_min, p90_min: r.p90_min, n: r.n }))),
			hourly: recent.hourly.map((h) => ({ hour: isoOut(h.hour), category: h.category, n: h.n })),
			week_categories: recent.week
		}
	};
}
