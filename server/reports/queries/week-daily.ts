/**
 * Incidents per local day of the week, with the same weekday of the week before beside it
 * (`count_prev`, shifted by 7 days onto this week's date). Days without incidents are absent.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { weekParams, type WeekParams } from './week-params.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'reports.week_daily';

const SQL = `
SELECT
    scope,
    toString(toDate(created_at, {tz:String}) + if(in_week, 0, 7)) AS day,
    toUInt32(countIf(in_week)) AS count,
    toUInt32(countIf(NOT in_week)) AS count_prev
FROM
(
    SELECT district, created_at, created_at >= {start:DateTime64(3, 'UTC')} AS in_week
    FROM incidents
    WHERE created_at >= {prev_start:DateTime64(3, 'UTC')} AND created_at < {end:DateTime64(3, 'UTC')}
)
ARRAY JOIN [toString(district), ''] AS scope
GROUP BY scope, day
ORDER BY scope, day
`;

export const WeekDailyRow = z.object({
	scope: z.string(),
	day: z.string(),
	count: z.number(),
	count_prev: z.number()
});
export type WeekDailyRow = z.infer<typeof WeekDailyRow>;

export function weekDaily(store: Store, p: WeekParams): Promise<WeekDailyRow[]> {
	return runQuery(store, NAME, SQL, weekParams(p), WeekDailyRow);
}
