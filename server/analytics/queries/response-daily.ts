/**
 * First-response times per local day for the last 30 days: p50 and p90 in minutes (linear
 * interpolation between ranks) and n. An incident counts on the day its first response was given.
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

export const NAME = 'analytics.response_daily';

const SQL = `
SELECT
	toString(toDate(first_at, {tz:String})) AS day,
	toFloat64(quantileExactInclusive(0.5)(response_min)) AS p50_min,
	toFloat64(quantileExactInclusive(0.9)(response_min)) AS p90_min,
	toUInt32(count()) AS n
FROM (
	SELECT r.first_at AS first_at, greatest(0, dateDiff('millisecond', i.created_at, r.first_at)) / 60000 AS response_min
	FROM incidents AS i
	INNER JOIN ${FIRST_RESPONSE} AS r ON r.incident_id = i.id
	WHERE i.created_at <= {now:DateTime64(3)} AND ${IN_SCOPE} AND r.first_at >= {from:DateTime64(3)}
)
GROUP BY day`;

const Row = z.object({ day: z.string(), p50_min: z.number().nullable(), p90_min: z.number().nullable(), n: z.number() });
export type ResponseDayRow = z.infer<typeof Row>;

export function queryResponseDaily(store: Store, b: Boundaries, tz: string, district: string | null): Promise<ResponseDayRow[]> {
	return runQuery(store, NAME, SQL, { now: chTime(b.now), from: chTime(b.responseFrom), tz, district }, Row);
}
