/**
 * Volume, first response (p50/p90 in minutes, interpolated, to 0.1 min), SLA and overdue of one week,
 * per district and for the whole city (scope '').
 * Everything is cut at the week's end — an answer given after the week does not count — so a report
 * made later for the same week gives the same numbers.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { weekParams, type WeekParams } from './week-params.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'reports.week_summary';

const SQL = `
SELECT
    scope,
    toUInt32(countIf(in_week)) AS count,
    toUInt32(countIf(NOT in_week)) AS count_prev,
    toUInt32(countIf(in_week AND isNotNull(first_at))) AS responded,
    if(responded = 0, NULL, round(quantileExactInclusiveIf(0.5)(response_min, in_week AND isNotNull(first_at)), 1)) AS p50_min,
    if(responded = 0, NULL, round(quantileExactInclusiveIf(0.9)(response_min, in_week AND isNotNull(first_at)), 1)) AS p90_min,
    toUInt32(countIf(in_week AND is_due)) AS due,
    toUInt32(countIf(in_week AND is_due AND isNotNull(first_at) AND first_at <= deadline_at)) AS in_time,
    toUInt32(countIf(in_week AND is_due AND isNull(first_at))) AS overdue
FROM
(
    SELECT
        i.district AS district,
        i.created_at >= {start:DateTime64(3, 'UTC')} AS in_week,
        i.deadline_at < {end:DateTime64(3, 'UTC')} AS is_due,
        i.deadline_at AS deadline_at,
        r.first_at AS first_at,
        greatest(0, dateDiff('millisecond', i.created_at, r.first_at)) / 60000 AS response_min
    FROM incidents AS i
    LEFT JOIN
    (
        SELECT incident_id, min(at) AS first_at
        FROM incident_events
        WHERE type = 'responded' AND at < {end:DateTime64(3, 'UTC')}
        GROUP BY incident_id
    ) AS r ON r.incident_id = i.id
    WHERE i.created_at >= {prev_start:DateTime64(3, 'UTC')} AND i.created_at < {end:DateTime64(3, 'UTC')}
)
ARRAY JOIN [toString(district), ''] AS scope
GROUP BY scope
ORDER BY scope
SETTINGS join_use_nulls = 1
`;

export const WeekSummaryRow = z.object({
	scope: z.string(),
	count: z.number(),
	count_prev: z.number(),
	responded: z.number(),
	p50_min: z.number().nullable(),
	p90_min: z.number().nullable(),
	due: z.number(),
	in_time: z.number(),
	overdue: z.number()
});
export type WeekSummaryRow = z.infer<typeof WeekSummaryRow>;

export function weekSummary(store: Store, p: WeekParams): Promise<WeekSummaryRow[]> {
	return runQuery(store, NAME, SQL, weekParams(p), WeekSummaryRow);
}
