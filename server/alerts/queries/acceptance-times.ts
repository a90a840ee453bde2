/**
 * Time from an outbound alert (its first Telegram delivery) to «Принято в работу», per district, for the
 * alerts first sent in [`{from}`, `{to}`): how many were sent, how many accepted, and the median and 90th
 * percentile of the minutes in between (linear interpolation between ranks, as the response-time
 * figures). District '' is the whole city, each alert once. An alert not yet accepted counts as sent.
 * Rows are grouped by alert first, so copies of a row written again after a crash (not yet merged away)
 * change nothing; the earliest press counts.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../store/time.ts';

export const NAME = 'alerts.acceptance_times';

const SQL = `
WITH per_alert AS (
	SELECT
		district,
		alert_id,
		min(sent_at) AS first_sent,
		countIf(rec = 'accepted') > 0 AS was_accepted,
		minIf(at, rec = 'accepted') AS accepted_at
	FROM alert_acceptance
	WHERE sent_at >= {from:DateTime64(3)} AND sent_at < {to:DateTime64(3)} AND has({districts:Array(String)}, district)
	GROUP BY district, alert_id
)
SELECT
	district,
	toUInt32(count()) AS sent,
	toUInt32(countIf(was_accepted)) AS accepted,
	if(countIf(was_accepted) = 0, NULL, toFloat64(quantileExactInclusiveIf(0.5)(wait_min, was_accepted))) AS median_min,
	if(countIf(was_accepted) = 0, NULL, toFloat64(quantileExactInclusiveIf(0.9)(wait_min, was_accepted))) AS p90_min
FROM (
	SELECT district, was_accepted, greatest(0, toUnixTimestamp64Milli(accepted_at) - toUnixTimestamp64Milli(first_sent)) / 60000 AS wait_min
	FROM per_alert
)
GROUP BY district
ORDER BY district`;

const Row = z.object({
	district: z.string(),
	sent: z.number(),
	accepted: z.number(),
	median_min: z.number().nullable(),
	p90_min: z.number().nullable()
});
export type AcceptanceTimeRow = z.infer<typeof Row>;

/** `districts`: the codes to read ('' = the whole city); a district scope passes only its own. */
export function acceptanceTimes(store: Store, p: { from: Date; to: Date; districts: readonly string[] }): Promise<AcceptanceTimeRow[]> {
	return runQuery(store, NAME, SQL, { from: chTime(p.from), to: chTime(p.to), districts: [...p.districts] }, Row);
}
