/**
 * This ISO week so far (local Monday 00:00 → now) against last week up to the same point
 * (local Monday 00:00 − 7 d → now − 7 d), per category. Comparing equal spans keeps a Monday
 * morning from looking like a collapse.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime, type Boundaries } from '../time.ts';
import { IN_SCOPE } from './fragments.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.week_categories';

const SQL = `
SELECT
	category,
	toUInt32(countIf(created_at >= {week_start:DateTime64(3)})) AS this_week,
	toUInt32(countIf(created_at < {week_start:DateTime64(3)} AND created_at <= {last_week_now:DateTime64(3)})) AS last_week
FROM incidents
WHERE created_at >= {last_week_start:DateTime64(3)} AND created_at <= {now:DateTime64(3)} AND ${IN_SCOPE}
GROUP BY category
HAVING this_week > 0 OR last_week > 0
ORDER BY this_week DESC, last_week DESC, category`;

const Row = z.object({ category: z.string(), this_week: z.number(), last_week: z.number() });
export type WeekCategoryRow = z.infer<typeof Row>;

export function queryWeekCategories(store: Store, b: Boundaries, district: string | null): Promise<WeekCategoryRow[]> {
	return runQuery(store, NAME, SQL, {
		now: chTime(b.now),
		week_start: chTime(b.weekStart),
		last_week_start: chTime(b.lastWeekStart),
		last_week_now: chTime(b.lastWeekNow),
		district
	}, Row);
}
