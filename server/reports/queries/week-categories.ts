/** Incidents per category this week and the week before, per district and for the city (scope ''). */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { weekParams, type WeekParams } from './week-params.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'reports.week_categories';

const SQL = `
SELECT
    scope,
    toString(category) AS category,
    toUInt32(countIf(created_at >= {start:DateTime64(3, 'UTC')})) AS this_week,
    toUInt32(countIf(created_at < {start:DateTime64(3, 'UTC')})) AS last_week
FROM incidents
ARRAY JOIN [toString(district), ''] AS scope
WHERE created_at >= {prev_start:DateTime64(3, 'UTC')} AND created_at < {end:DateTime64(3, 'UTC')}
GROUP BY scope, category
ORDER BY scope, this_week DESC, last_week DESC, category
`;

export const WeekCategoryRow = z.object({
	scope: z.string(),
	category: z.string(),
	this_week: z.number(),
	last_week: z.number()
});
export type WeekCategoryRow = z.infer<typeof WeekCategoryRow>;

export function weekCategories(store: Store, p: WeekParams): Promise<WeekCategoryRow[]> {
	return runQuery(store, NAME, SQL, weekParams(p), WeekCategoryRow);
}
