/**
 * Repeat shares of a report week and the week before, for the city and each district: an incident of the
 * week is a repeat when the previous incident at its place and category lies within the category's
 * window (read back one window before the earlier week). Stored data only, so a report made later for
 * the same week gives the same figures.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../analytics/time.ts';
import { WINDOW_DAYS, type RepeatWindows } from '../windows.ts';

export const NAME = 'places.week_repeats';

const SQL = `
WITH seq AS (
	SELECT district, created_at,
		place_key NOT IN ('', '-') AS placed,
		lagInFrame(toNullable(created_at)) OVER (PARTITION BY place_key, category ORDER BY created_at, id
			ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS prev_at,
		${WINDOW_DAYS} AS w
	FROM incidents
	WHERE created_at >= {prev_start:DateTime64(3)} - toIntervalDay({w_max:UInt16}) AND created_at < {end:DateTime64(3)}
)
SELECT if(grouping(district) = 0, district, '') AS scope_district,
	countIf(created_at >= {start:DateTime64(3)}) AS n,
	countIf(created_at >= {start:DateTime64(3)} AND is_repeat) AS repeats,
	countIf(created_at < {start:DateTime64(3)}) AS n_prev,
	countIf(created_at < {start:DateTime64(3)} AND is_repeat) AS repeats_prev
FROM (SELECT *, placed AND prev_at IS NOT NULL AND prev_at < created_at AND prev_at >= created_at - toIntervalDay(w) AS is_repeat FROM seq)
WHERE created_at >= {prev_start:DateTime64(3)}
GROUP BY GROUPING SETS ((), (district))`;

const Row = z.object({
	scope_district: z.string(),
	n: z.coerce.number(),
	repeats: z.coerce.number(),
	n_prev: z.coerce.number(),
	repeats_prev: z.coerce.number()
});
export type WeekRepeatsRow = z.infer<typeof Row>;

export async function weekRepeats(store: Store, p: { start: Date; end: Date; prev_start: Date }, windows: RepeatWindows): Promise<WeekRepeatsRow[]> {
	return runQuery(store, NAME, SQL, { start: chTime(p.start), end: chTime(p.end), prev_start: chTime(p.prev_start), ...windows }, Row);
}
