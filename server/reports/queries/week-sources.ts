/** Incidents of the week per source, per district and for the city (scope ''). */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { weekParams, type WeekParams } from './week-params.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'reports.week_sources';

const SQL = `
SELECT
    scope,
    toString(source) AS source,
    toUInt32(count()) AS count
FROM incidents
ARRAY JOIN [toString(district), ''] AS scope
WHERE created_at >= {start:DateTime64(3, 'UTC')} AND created_at < {end:DateTime64(3, 'UTC')}
GROUP BY scope, source
ORDER BY scope, count DESC, source
`;

export const WeekSourceRow = z.object({
	scope: z.string(),
	source: z.string(),
	count: z.number()
});
export type WeekSourceRow = z.infer<typeof WeekSourceRow>;

export function weekSources(store: Store, p: WeekParams): Promise<WeekSourceRow[]> {
	return runQuery(store, NAME, SQL, weekParams(p), WeekSourceRow);
}
