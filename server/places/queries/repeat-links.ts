/**
 * For given incidents (their id, place, category and time, as the list or detail already read them), the
 * earlier incident each one repeats (`repeat_of`) and the next one that repeats it (`repeated_by`): the
 * latest earlier / earliest later incident at the same place and category within the category's window.
 * Computed at query time over the stored place key, so the answer is the same whatever order the rows
 * arrived in (replays, late data, imports); one primary-key range of the `by_place` projection per place.
 * Ties at the same millisecond are not repeats of each other. A district reader's links stay inside the
 * district: an incident across the border at the same address is not disclosed.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../analytics/time.ts';
import { IN_SCOPE } from '../../analytics/queries/fragments.ts';
import { NO_PLACE } from '../identity.ts';
import { WINDOW_DAYS, type RepeatWindows } from '../windows.ts';

export const NAME = 'places.repeat_links';

const SQL = `
SELECT p.id AS id,
	argMaxIf(a.id, (a.created_at, a.id), a.created_at < p.created_at AND a.created_at >= p.created_at - toIntervalDay(p.w)) AS repeat_of,
	argMinIf(a.id, (a.created_at, a.id), a.created_at > p.created_at AND a.created_at <= p.created_at + toIntervalDay(p.w)) AS repeated_by
FROM (
	SELECT t.1 AS id, t.2 AS place_key, t.3 AS category, t.4 AS created_at, ${WINDOW_DAYS} AS w
	FROM (SELECT arrayJoin(arrayZip({ids:Array(String)}, {keys:Array(String)}, {cats:Array(String)}, {ats:Array(DateTime64(3))})) AS t)
) AS p
INNER JOIN (
	SELECT id, category, place_key, created_at
	FROM incidents
	WHERE place_key IN {keys:Array(String)}
	  AND created_at >= {lo:DateTime64(3)} AND created_at <= {hi:DateTime64(3)} AND ${IN_SCOPE}
) AS a ON a.place_key = p.place_key AND a.category = p.category
GROUP BY p.id`;

const Row = z.object({ id: z.string(), repeat_of: z.string(), repeated_by: z.string() });

export interface RepeatLinks {
	repeat_of: string | null;
	repeated_by: string | null;
}

export interface PlacedIncident {
	id: string;
	category: string;
	/** '' for a row stored before place identity and not yet backfilled. */
	place_key: string;
	created_at: string;
}

export async function repeatLinks(store: Store, incidents: readonly PlacedIncident[], district: string | null, windows: RepeatWindows): Promise<Map<string, RepeatLinks>> {
	const placed = incidents.filter((i) => i.place_key !== '' && i.place_key !== NO_PLACE);
	if (placed.length === 0) return new Map();
	const times = placed.map((i) => Date.parse(i.created_at.endsWith('Z') || i.created_at.includes('+') ? i.created_at : `${i.created_at}Z`));
	const span = windows.w_max * 86_400_000;
	const rows = await runQuery(
		store,
		NAME,
		SQL,
		{
			ids: placed.map((i) => i.id),
			keys: placed.map((i) => i.place_key),
			cats: placed.map((i) => i.category),
			ats: times.map((t) => chTime(new Date(t))),
			lo: chTime(new Date(Math.min(...times) - span)),
			hi: chTime(new Date(Math.max(...times) + span)),
			district,
			...windows
		},
		Row
	);
	return new Map(rows.map((r) => [r.id, { repeat_of: r.repeat_of || null, repeated_by: r.repeated_by || null }]));
}
