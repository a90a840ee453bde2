/**
 * Per-district counts of a scope: today (since local midnight), the last 24 h, the same 24 hours of
 * the week in each of the 8 previous weeks (the district's own baseline for `tension`), open and
 * overdue. "Same hours" means the incident's age modulo one week falls in the first 24 h, for ages of
 * 1 to 8 whole weeks: exactly the 8 windows [now − k·7 d − 24 h, now − k·7 d).
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

export const NAME = 'analytics.districts';
export const BASELINE_WEEKS = 8;

const SQL = `
SELECT
	district,
	toUInt32(countIf(created_at >= {today_start:DateTime64(3)})) AS today,
	toUInt32(countIf(age_ms < 86400000)) AS last_24h,
	toUInt32(countIf(intDiv(age_ms, 604800000) BETWEEN 1 AND {weeks:UInt8} AND age_ms % 604800000 < 86400000)) AS baseline_total,
	toUInt32(countIf(responded = 0)) AS open,
	toUInt32(countIf(responded = 0 AND deadline_at < {now:DateTime64(3)})) AS overdue
FROM (
	SELECT i.district AS district, i.created_at AS created_at, i.deadline_at AS deadline_at, r.responded AS responded,
		dateDiff('millisecond', i.created_at, {now:DateTime64(3)}) AS age_ms
	FROM incidents AS i
	LEFT JOIN ${FIRST_RESPONSE} AS r ON r.incident_id = i.id
	WHERE i.created_at <= {now:DateTime64(3)} AND ${IN_SCOPE}
)
GROUP BY district`;

const Row = z.object({
	district: z.string(),
	today: z.number(),
	last_24h: z.number(),
	baseline_total: z.number(),
	open: z.number(),
	overdue: z.number()
});
export type DistrictRow = z.infer<typeof Row>;

export function queryDistricts(store: Store, b: Boundaries, district: string | null): Promise<DistrictRow[]> {
	return runQuery(store, NAME, SQL, {
		now: chTime(b.now),
		today_start: chTime(b.todayStart),
		weeks: BASELINE_WEEKS,
		district
	}, Row);
}
