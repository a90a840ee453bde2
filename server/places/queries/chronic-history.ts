/**
 * The history of given chronic places (pairs of `{keys}` × `{cats}`, element by element): for each, its
 * latest address, district and mean location, the count in (`{from}`, `{to}`], incidents per month since
 * `{hist_from}`, repeats (the previous incident here within the category's window) and repeats after an
 * answer (that previous incident had a `responded` event before this one was created), and the latest
 * answer given to any of its incidents with who gave it. Rows of the reader's district only; events later
 * than `{to}` are ignored, so a report for a past week is reproducible. The place and category lead the
 * `by_place` projection, so each place is a short primary-key range, whatever the table's size.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../analytics/time.ts';
import { IN_SCOPE } from '../../analytics/queries/fragments.ts';
import { WINDOW_DAYS, type RepeatWindows } from '../windows.ts';

export const NAME = 'places.chronic_history';

/**
 * The incidents of the asked places and categories over the history and one window before it: two plain
 * sets, which the projection's primary key answers directly. They may also take in another asked category
 * of an asked place (a pair not asked for); such pairs are partitioned apart and dropped by the HAVING at
 * the end, which tests the exact pairs on a few grouped rows instead of on every row read.
 */
const PLACE_ROWS = `
	SELECT id, district, category, place_key, created_at, address, lat, lon
	FROM incidents
	WHERE place_key IN {keys:Array(String)} AND category IN {cats:Array(String)}
	  AND created_at > least({from:DateTime64(3)}, {hist_from:DateTime64(3)}) - toIntervalDay({w_max:UInt16})
	  AND created_at <= {to:DateTime64(3)} AND ${IN_SCOPE}`;

const SQL = `
WITH placed AS (
	SELECT i.id AS id, i.district AS district, i.category AS category, i.place_key AS place_key, i.created_at AS created_at,
		i.address AS address, i.lat AS lat, i.lon AS lon, ${WINDOW_DAYS.replace('category', 'i.category')} AS w,
		a.answered AS answered, a.first_at AS first_at, a.last_at AS answer_at, a.executor AS answer_by, a.comment AS answer_text
	FROM (${PLACE_ROWS}) AS i
	LEFT JOIN (
		SELECT incident_id, toUInt8(1) AS answered, min(at) AS first_at, max(at) AS last_at,
			argMax(executor, at) AS executor, argMax(comment, at) AS comment
		FROM incident_events
		WHERE type = 'responded' AND at <= {to:DateTime64(3)} AND incident_id IN (SELECT id FROM (${PLACE_ROWS}))
		GROUP BY incident_id
	) AS a ON a.incident_id = i.id
),
seq AS (
	SELECT *,
		lagInFrame(toNullable(created_at)) OVER win AS prev_at,
		lagInFrame(answered) OVER win AS prev_answered,
		lagInFrame(first_at) OVER win AS prev_first_at,
		created_at > {from:DateTime64(3)} AS in_period
	FROM placed
	WINDOW win AS (PARTITION BY place_key, category ORDER BY created_at, id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
)
SELECT place_key, category,
	argMax(district, created_at) AS place_district,
	argMaxIf(address, created_at, address != '') AS place_address,
	avgIf(lat, lat IS NOT NULL) AS mean_lat,
	avgIf(lon, lon IS NOT NULL) AS mean_lon,
	countIf(in_period) AS n_period,
	countIf(in_period AND is_repeat) AS repeats,
	countIf(in_period AND is_repeat AND prev_answered = 1 AND prev_first_at < created_at) AS repeats_after_answer,
	minIf(created_at, in_period) AS period_first,
	maxIf(created_at, in_period) AS period_last,
	groupArrayIf(2000)(formatDateTime(created_at, '%Y-%m', {tz:String}), created_at > {hist_from:DateTime64(3)}) AS months,
	max(answered) AS any_answer,
	maxIf(answer_at, answered = 1) AS last_answer_at,
	argMaxIf(answer_by, answer_at, answered = 1) AS last_answer_by,
	argMaxIf(answer_text, answer_at, answered = 1) AS last_answer_text
FROM (SELECT *, prev_at IS NOT NULL AND prev_at < created_at AND prev_at >= created_at - toIntervalDay(w) AS is_repeat FROM seq)
GROUP BY place_key, category
HAVING (place_key, category) IN arrayZip({keys:Array(String)}, {cats:Array(String)})
SETTINGS join_use_nulls = 0`;

const Row = z.object({
	place_key: z.string(),
	category: z.string(),
	place_district: z.string(),
	place_address: z.string(),
	mean_lat: z.number().nullable(),
	mean_lon: z.number().nullable(),
	n_period: z.coerce.number(),
	repeats: z.coerce.number(),
	repeats_after_answer: z.coerce.number(),
	period_first: z.string(),
	period_last: z.string(),
	months: z.array(z.string()),
	any_answer: z.coerce.number(),
	last_answer_at: z.string(),
	last_answer_by: z.string(),
	last_answer_text: z.string()
});
export type ChronicRow = z.infer<typeof Row>;

export interface HistoryQuery {
	district: string | null;
	places: readonly { place_key: string; category: string }[];
	from: Date;
	to: Date;
	histFrom: Date;
	tz: string;
}

export async function queryChronicHistory(store: Store, q: HistoryQuery, windows: RepeatWindows): Promise<ChronicRow[]> {
	if (q.places.length === 0) return [];
	return runQuery(
		store,
		NAME,
		SQL,
		{
			district: q.district,
			keys: q.places.map((p) => p.place_key),
			cats: q.places.map((p) => p.category),
			from: chTime(q.from),
			to: chTime(q.to),
			hist_from: chTime(q.histFrom),
			tz: q.tz,
			...windows
		},
		Row
	);
}
