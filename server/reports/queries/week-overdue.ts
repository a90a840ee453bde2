/**
 * The worst overdue incidents of the week per district: created during the week, deadline inside
 * the week, no first response before the week's end; longest past the deadline first.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { weekParams, type WeekParams } from './week-params.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'reports.week_overdue';

const SQL = `
SELECT
    toString(district) AS district,
    id,
    created_at,
    deadline_at,
    toString(category) AS category,
    toString(source) AS source,
    address,
    substringUTF8(text, 1, 160) AS text,
    round(dateDiff('second', deadline_at, {end:DateTime64(3, 'UTC')}) / 3600, 1) AS overdue_hours
FROM incidents
WHERE created_at >= {start:DateTime64(3, 'UTC')} AND created_at < {end:DateTime64(3, 'UTC')}
  AND deadline_at < {end:DateTime64(3, 'UTC')}
  AND id NOT IN
  (
      SELECT incident_id FROM incident_events
      WHERE type = 'responded' AND at < {end:DateTime64(3, 'UTC')}
  )
ORDER BY district, deadline_at, id
LIMIT {limit:UInt32} BY district
`;

export const WeekOverdueRow = z.object({
	district: z.string(),
	id: z.string(),
	created_at: z.string(),
	deadline_at: z.string(),
	category: z.string(),
	source: z.string(),
	address: z.string(),
	text: z.string(),
	overdue_hours: z.number()
});
export type WeekOverdueRow = z.infer<typeof WeekOverdueRow>;

export function weekOverdue(store: Store, p: WeekParams, opts: { limit?: number } = {}): Promise<WeekOverdueRow[]> {
	return runQuery(store, NAME, SQL, { ...weekParams(p), limit: opts.limit ?? 8 }, WeekOverdueRow);
}
