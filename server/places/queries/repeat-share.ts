/**
 * Repeat shares of the last 30 days, city-wide, by district, by category and by both, in one pass:
 * each incident created in (`{from}`, `{now}`] is a repeat when the previous incident at its place and
 * category (found over the window before `{from}` too) lies within the category's window. The
 * predecessor may lie in another district (one address, two attributions): the place decides, not the
 * border. Incidents without a place count in the denominator and are never repeats.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../analytics/time.ts';
import { WINDOW_DAYS, type RepeatWindows } from '../windows.ts';

export const NAME = 'places.repeat_share';

const SQL = `
WITH seq AS (
	SELECT district, category, created_at,
		place_key NOT IN ('', '-') AS placed,
		lagInFrame(toNullable(created_at)) OVER (PARTITION BY place_key, category ORDER BY created_at, id
			ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS prev_at,
		${WINDOW_DAYS} AS w
	FROM incidents
	WHERE created_at > {from:DateTime64(3)} - toIntervalDay({w_max:UInt16}) AND created_at <= {now:DateTime64(3)}
)
SELECT
	if(grouping(district) = 0, district, '') AS scope_district,
	if(grouping(category) = 0, category, '') AS scope_category,
	count() AS n,
	countIf(placed AND prev_at IS NOT NULL AND prev_at < created_at AND prev_at >= created_at - toIntervalDay(w)) AS repeats
FROM seq
WHERE created_at > {from:DateTime64(3)}
GROUP BY GROUPING SETS ((), (district), (category), (district, category))
SETTINGS group_by_use_nulls = 0`;

const Row = z.object({ scope_district: z.string(), scope_category: z.string(), n: z.coerce.number(), repeats: z.coerce.number() });

export interface RepeatShareRow {
	/** '' = every district */
	district: string;
	/** '' = every category */
	category: string;
	n: number;
	repeats: number;
}

export const REPEAT_SHARE_DAYS = 30;

export async function queryRepeatShare(store: Store, now: Date, windows: RepeatWindows): Promise<RepeatShareRow[]> {
	const from = new Date(now.getTime() - REPEAT_SHARE_DAYS * 86_400_000);
	const rows = await runQuery(store, NAME, SQL, { now: chTime(now), from: chTime(from), ...windows }, Row);
	return rows.map((r) => ({ district: r.scope_district, category: r.scope_category, n: r.n, repeats: r.repeats }));
}
