/**
 * Everything of a scope that needs only incidents of the last 8 weeks and a day, in one pass with four
 * grouping sets (a NULL key is one the set does not group by):
 * - the scope: today (created since local midnight) and usual_total (the same part of the day on each
 *   of the last 8 same weekdays), as in kpis.ts;
 * - each district: today, last_24h and baseline_total (the same 24 hours of the week in each of the 8
 *   previous weeks: ages of 1 to 8 whole weeks whose remainder falls in the first 24 h), as in
 *   districts.ts;
 * - hour × category: the 48 hours ending with the current hour (hourly.ts); older rows fall in the
 *   hour 1970-01-01 and are dropped;
 * - category: this ISO week so far against last week up to the same point (week-categories.ts).
 * The lower time bound covers every window, so only the recent partitions are read.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime, type Boundaries } from '../time.ts';
import { BASELINE_WEEKS } from './districts.ts';
import { IN_SCOPE } from './fragments.ts';
import type { HourlyRow } from './hourly.ts';
import { runQuery } from '../../store/query.ts';
import type { WeekCategoryRow } from './week-categories.ts';

export const NAME = 'analytics.recent';

const SQL = `
SELECT
	district,
	hour,
	category,
	toUInt32(countIf(created_at >= {today_start:DateTime64(3)})) AS today,
	toUInt32(countIf(created_at >= {usual_from:DateTime64(3)} AND created_at < {today_start:DateTime64(3)}
		AND toDayOfWeek(created_at, 0, {tz:String}) = {weekday:UInt8}
		AND dateDiff('millisecond', toStartOfDay(created_at, {tz:String}), created_at) < {time_of_day_ms:UInt32})) AS usual_total,
	toUInt32(countIf(age_ms < 86400000)) AS last_24h,
	toUInt32(countIf(intDiv(age_ms, 604800000) BETWEEN 1 AND {weeks:UInt8} AND age_ms % 604800000 < 86400000)) AS baseline_total,
	toUInt32(count()) AS n,
	toUInt32(countIf(created_at >= {week_start:DateTime64(3)})) AS this_week,
	toUInt32(countIf(created_at >= {last_week_start:DateTime64(3)} AND created_at < {week_start:DateTime64(3)}
		AND created_at <= {last_week_now:DateTime64(3)})) AS last_week
FROM (
	SELECT district, category, created_at, dateDiff('millisecond', created_at, {now:DateTime64(3)}) AS age_ms,
		if(created_at >= toStartOfHour({now:DateTime64(3)}) - INTERVAL 47 HOUR, toStartOfHour(created_at), toStartOfHour(toDateTime64(0, 3, 'UTC'))) AS hour
	FROM incidents
	WHERE created_at >= {from:DateTime64(3)} AND created_at <= {now:DateTime64(3)} AND ${IN_SCOPE}
)
GROUP BY GROUPING SETS ((), (district), (hour, category), (category))
SETTINGS group_by_use_nulls = 1`;

const Row = z.object({
	district: z.string().nullable(),
	hour: z.string().nullable(),
	category: z.string().nullable(),
	today: z.number(),
	usual_total: z.number(),
	last_24h: z.number(),
	baseline_total: z.number(),
	n: z.number(),
	this_week: z.number(),
	last_week: z.number()
});
export type RecentRow = z.infer<typeof Row>;

export interface RecentFigures {
	scope: RecentRow;
	districts: RecentRow[];
	hourly: HourlyRow[];
	week: WeekCategoryRow[];
}

const WEEK_MS = 7 * 86_400_000;
const EMPTY: RecentRow = { district: null, hour: null, category: null, today: 0, usual_total: 0, last_24h: 0, baseline_total: 0, n: 0, this_week: 0, last_week: 0 };

export async function queryRecent(store: Store, b: Boundaries, tz: string, district: string | null): Promise<RecentFigures> {
	// the earliest window: the usual days or the oldest baseline day (8 weeks and a day back)
	const from = Math.min(b.usualFrom.getTime(), b.lastWeekStart.getTime(), b.now.getTime() - BASELINE_WEEKS * WEEK_MS - 86_400_000);
	const rows = await runQuery(store, NAME, SQL, {
		now: chTime(b.now),
		from: chTime(new Date(from)),
		today_start: chTime(b.todayStart),
		usual_from: chTime(b.usualFrom),
		weekday: b.isoWeekday,
		time_of_day_ms: b.now.getTime() - b.todayStart.getTime(),
		weeks: BASELINE_WEEKS,
		week_start: chTime(b.weekStart),
		last_week_start: chTime(b.lastWeekStart),
		last_week_now: chTime(b.lastWeekNow),
		tz,
		district
	}, Row);
	const hourly = rows
		.filter((r) => r.hour !== null && r.category !== null && Date.parse(r.hour) > 0)
		.map((r) => ({ hour: r.hour!, category: r.category!, n: r.n }))
		.sort((x, y) => Date.parse(x.hour) - Date.parse(y.hour) || (x.category < y.category ? -1 : x.category > y.category ? 1 : 0));
	const week = rows
		.filter((r) => r.hour === null && r.category !== null && (r.this_week > 0 || r.last_week > 0))
		.map((r) => ({ category: r.category!, this_week: r.this_week, last_week: r.last_week }))
		.sort((x, y) => y.this_week - x.this_week || y.last_week - x.last_week || (x.category < y.category ? -1 : x.category > y.category ? 1 : 0));
	return {
		scope: rows.find((r) => r.district === null && r.hour === null && r.category === null) ?? EMPTY,
		districts: rows.filter((r) => r.district !== null),
		hourly,
		week
	};
}
