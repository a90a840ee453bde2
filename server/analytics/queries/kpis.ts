/**
 * The KPI tiles of a scope: today vs the usual, open, overdue, median first response (today, 7 days)
 * and the SLA share of 7 days.
 * - today: created since local midnight. today_usual: the same part of the day (midnight → the same
 *   local time) on each of the last 8 same weekdays, averaged.
 * - median response: over first responses given in the period (today since local midnight; the last
 *   7×24 h), in minutes from creation; linear interpolation between ranks (quantileExactInclusive).
 * - SLA share 7 days: incidents created in the last 7×24 h whose deadline has passed or that were
 *   answered; the share answered no later than `deadline_at`.
 *
 * Test reference for the query functions of this module: the server computes these figures in live.ts and
 * recent.ts and uses only the row type here; tests/analytics/checkpoint.test.ts and the snapshot benchmark
 * compare the two.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime, type Boundaries } from '../time.ts';
import { FIRST_RESPONSE, IN_SCOPE } from './fragments.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.kpis';

const SQL = `
SELECT
	toUInt32(countIf(created_at >= {today_start:DateTime64(3)})) AS today,
	toUInt32(countIf(created_at >= {usual_from:DateTime64(3)} AND created_at < {today_start:DateTime64(3)}
		AND toDayOfWeek(created_at, 0, {tz:String}) = {weekday:UInt8}
		AND dateDiff('millisecond', toStartOfDay(created_at, {tz:String}), created_at) < {time_of_day_ms:UInt32})) AS usual_total,
	toUInt32(countIf(responded = 0)) AS open,
	toUInt32(countIf(responded = 0 AND deadline_at < {now:DateTime64(3)})) AS overdue,
	toUInt32(countIf(responded = 1 AND first_at >= {today_start:DateTime64(3)})) AS answered_today,
	toFloat64(quantileExactInclusiveIf(0.5)(response_min, responded = 1 AND first_at >= {today_start:DateTime64(3)})) AS median_today,
	toUInt32(countIf(responded = 1 AND first_at >= {week_ago:DateTime64(3)})) AS answered_7d,
	toFloat64(quantileExactInclusiveIf(0.5)(response_min, responded = 1 AND first_at >= {week_ago:DateTime64(3)})) AS median_7d,
	toUInt32(countIf(created_at >= {week_ago:DateTime64(3)} AND (deadline_at <= {now:DateTime64(3)} OR responded = 1))) AS sla_due,
	toUInt32(countIf(created_at >= {week_ago:DateTime64(3)} AND responded = 1 AND first_at <= deadline_at)) AS sla_met
FROM (
	SELECT i.created_at AS created_at, i.deadline_at AS deadline_at, r.first_at AS first_at, r.responded AS responded,
		greatest(0, dateDiff('millisecond', i.created_at, r.first_at)) / 60000 AS response_min
	FROM incidents AS i
	LEFT JOIN ${FIRST_RESPONSE} AS r ON r.incident_id = i.id
	WHERE i.created_at <= {now:DateTime64(3)} AND ${IN_SCOPE}
)`;

/** The response columns of the KPI definitions above; live.ts computes the same columns from live incidents. */
export const RESPONSE_COLUMNS = {
	open: z.number(),
	overdue: z.number(),
	answered_today: z.number(),
	median_today: z.number().nullable(),
	answered_7d: z.number(),
	median_7d: z.number().nullable(),
	sla_due: z.number(),
	sla_met: z.number()
};

const Row = z.object({ today: z.number(), usual_total: z.number(), ...RESPONSE_COLUMNS });
export type KpiRow = z.infer<typeof Row>;

export async function queryKpis(store: Store, b: Boundaries, tz: string, district: string | null): Promise<KpiRow> {
	const rows = await runQuery(store, NAME, SQL, {
		now: chTime(b.now),
		today_start: chTime(b.todayStart),
		usual_from: chTime(b.usualFrom),
		week_ago: chTime(new Date(b.now.getTime() - 7 * 86_400_000)),
		weekday: b.isoWeekday,
		time_of_day_ms: b.now.getTime() - b.todayStart.getTime(),
		tz,
		district
	}, Row);
	const row = rows[0];
	if (!row) throw new Error(`${NAME}: no row`);
	return row;
}
