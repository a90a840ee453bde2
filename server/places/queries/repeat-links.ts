/**
 * For given incident ids, the earlier incident each one repeats (`repeat_of`) and the next one that
 * repeats it (`repeated_by`): the latest earlier / earliest later incident at the same place and category
 * within the category's window. Computed at query time over the stored place key, so the answer is the
 * same whatever order the rows arrived in (replays, late data, imports). Ties at the same millisecond are
 * not repeats of each other. A district reader's links stay inside the district: an incident across the
 * border at the same address is not disclosed (the city's view may then link one more pair).
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../analytics/queries/run.ts';
import { IN_SCOPE } from '../../analytics/queries/fragments.ts';
import { HAS_PLACE, WINDOW_DAYS, type RepeatWindows } from '../windows.ts';

export const NAME = 'places.repeat_links';

const SQL = `
WITH page AS (
	SELECT id, category, place_key, created_at, ${WINDOW_DAYS} AS w
	FROM incidents
	WHERE id IN {ids:Array(String)} AND ${HAS_PLACE}
),
around AS (
	SELECT id, category, place_key, created_at
	FROM incidents
	WHERE place_key IN (SELECT place_key FROM page) AND ${IN_SCOPE}
	  AND created_at >= (SELECT min(created_at) FROM page) - toIntervalDay({w_max:UInt16})
	  AND created_at <= (SELECT max(created_at) FROM page) + toIntervalDay({w_max:UInt16})
)
SELECT p.id AS id,
	argMaxIf(a.id, (a.created_at, a.id), a.created_at < p.created_at AND a.created_at >= p.created_at - toIntervalDay(p.w)) AS repeat_of,
	argMinIf(a.id, (a.created_at, a.id), a.created_at > p.created_at AND a.created_at <= p.created_at + toIntervalDay(p.w)) AS repeated_by
FROM page AS p
INNER JOIN around AS a ON a.place_key = p.place_key AND a.category = p.category
GROUP BY p.id`;

const Row = z.object({ id: z.string(), repeat_of: z.string(), repeated_by: z.string() });

export interface RepeatLinks {
	repeat_of: string | null;
	repeated_by: string | null;
}

export async function repeatLinks(store: Store, ids: readonly string[], district: string | null, windows: RepeatWindows): Promise<Map<string, RepeatLinks>> {
	if (ids.length === 0) return new Map();
	const rows = await runQuery(store, NAME, SQL, { ids: [...ids], district, ...windows }, Row);
	return new Map(rows.map((r) => [r.id, { repeat_of: r.repeat_of || null, repeated_by: r.repeated_by || null }]));
}
