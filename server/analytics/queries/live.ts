/**
 * The response figures of a scope from its live incidents (LIVE_INCIDENTS: open or recently answered,
 * from the checkpoint, plus those created since), in one pass with three grouping sets:
 * - the scope (`district` and `day` NULL): open, overdue, median first response today and over the
 *   last 7×24 h, and the SLA share of 7 days, as defined in kpis.ts;
 * - each district (`day` NULL): its open and overdue counts;
 * - each local day of the 30 of `response_daily` (`district` NULL): p50/p90 minutes and n, by the day
 *   the first response was given (rows outside the 30 days fall in the day '' and are dropped).
 * Each row also carries the checkpoint's guard counts, so checking the checkpoint costs no round trip.
 * Same definitions and the same rows as kpis.ts, districts.ts and response-daily.ts, which join every
 * stored incident and remain as the reference the tests compare against.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime, type Boundaries } from '../time.ts';
import { GUARD_COLUMNS, queryGuard, type GuardCounts } from './checkpoint.ts';
import { LIVE_INCIDENTS } from './fragments.ts';
import { RESPONSE_COLUMNS } from './kpis.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.live';

const SQL = `
SELECT
	district,
	day,
	toUInt32(countIf(first_at IS NULL)) AS open,
	toUInt32(countIf(first_at IS NULL AND deadline_at < {now:DateTime64(3)})) AS overdue,
	toUInt32(countIf(first_at >= {today_start:DateTime64(3)})) AS answered_today,
	toFloat64(quantileExactInclusiveIf(0.5)(response_min, first_at >= {today_start:DateTime64(3)})) AS median_today,
	toUInt32(countIf(first_at >= {week_ago:DateTime64(3)})) AS answered_7d,
	toFloat64(quantileExactInclusiveIf(0.5)(response_min, first_at >= {week_ago:DateTime64(3)})) AS median_7d,
	toUInt32(countIf(created_at >= {week_ago:DateTime64(3)} AND (deadline_at <= {now:DateTime64(3)} OR first_at IS NOT NULL))) AS sla_due,
	toUInt32(countIf(created_at >= {week_ago:DateTime64(3)} AND first_at IS NOT NULL AND first_at <= deadline_at)) AS sla_met,
	toFloat64(quantileExactInclusiveIf(0.5)(response_min, in_days)) AS p50_min,
	toFloat64(quantileExactInclusiveIf(0.9)(response_min, in_days)) AS p90_min,
	toUInt32(countIf(in_days)) AS n,
	${GUARD_COLUMNS}
FROM (
	SELECT district, created_at, deadline_at, first_at,
		greatest(0, dateDiff('millisecond', created_at, first_at)) / 60000 AS response_min,
		ifNull(first_at >= {response_from:DateTime64(3)}, 0) AS in_days,
		if(in_days, toString(toDate(first_at, {tz:String})), '') AS day
	FROM ${LIVE_INCIDENTS}
)
GROUP BY GROUPING SETS ((), (district), (day))
SETTINGS group_by_use_nulls = 1`;

const Row = z.object({
	district: z.string().nullable(),
	day: z.string().nullable(),
	...RESPONSE_COLUMNS,
	p50_min: z.number().nullable(),
	p90_min: z.number().nullable(),
	n: z.number(),
	guard_incidents: z.number(),
	guard_responses: z.number()
});
export type LiveRow = z.infer<typeof Row>;

const EMPTY: LiveRow = {
	district: null,
	day: null,
	open: 0,
	overdue: 0,
	answered_today: 0,
	median_today: null,
	answered_7d: 0,
	median_7d: null,
	sla_due: 0,
	sla_met: 0,
	p50_min: null,
	p90_min: null,
	n: 0,
	guard_incidents: 0,
	guard_responses: 0
};

export interface LiveFigures {
	/** The checkpoint's guard counts as this query saw them (checkpoint.ts). */
	guard: GuardCounts;
	scope: LiveRow;
	districts: LiveRow[];
	days: LiveRow[];
}

export async function queryLive(
	store: Store,
	b: Boundaries,
	tz: string,
	district: string | null,
	ckpt: { version: number; t: Date }
): Promise<LiveFigures> {
	const rows = await runQuery(store, NAME, SQL, {
		now: chTime(b.now),
		today_start: chTime(b.todayStart),
		week_ago: chTime(new Date(b.now.getTime() - 7 * 86_400_000)),
		response_from: chTime(b.responseFrom),
		version: ckpt.version,
		ckpt_at: chTime(ckpt.t),
		tz,
		district
	}, Row);
	// No live incident at all gives no rows, not even the scope's: then the guard is read on its own.
	const scope = rows.find((r) => r.district === null && r.day === null);
	const guard = scope ? { incidents: scope.guard_incidents, responses: scope.guard_responses } : await queryGuard(store, ckpt.t);
	return {
		guard,
		scope: scope ?? EMPTY,
		districts: rows.filter((r) => r.district !== null),
		days: rows.filter((r) => r.day !== null && r.day !== '')
	};
}
