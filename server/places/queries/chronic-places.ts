/**
 * Chronic places: (place, category) pairs with at least `{k}` incidents in (`{from}`, `{to}`], ranked by
 * count, then by repeats after an answer. For each: its latest address, district and mean location, the
 * count, incidents per month since `{hist_from}` (the report shows a year of history for a week's
 * places), repeats (the previous incident here within the category's window) and repeats after an answer
 * (that previous incident had a `responded` event before this one was created), and the latest answer
 * given to any of its incidents with who gave it. Rows of the reader's district only; events later than
 * `{to}` are ignored, so a report for a past week is reproducible.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../analytics/queries/run.ts';
import { chTime } from '../../analytics/time.ts';
import { IN_SCOPE } from '../../analytics/queries/fragments.ts';
import { HAS_PLACE, WINDOW_DAYS, type RepeatWindows } from '../windows.ts';

export const NAME = 'places.chronic';

const SQL = `
WITH
base AS (
	SELECT id, district, category, place_key, created_at, address, lat, lon, ${WINDOW_DAYS} AS w
	FROM incidents
	WHERE created_at > least({from:DateTime64(3)}, {hist_from:DateTime64(3)}) - toIntervalDay({w_max:UInt16})
	  AND created_at <= {to:DateTime64(3)}
	  AND ${HAS_PLACE} AND ${IN_SCOPE}
	  AND ({category:Nullable(String)} IS NULL OR category = {category:Nullable(String)})
),
chronic AS (
	SELECT place_key, category, count() AS n
	FROM base
	WHERE created_at > {from:DateTime64(3)}
	GROUP BY place_key, category
	HAVING n >= {k:UInt32}
	ORDER BY n DESC
	LIMIT {scan:UInt32}
),
seq AS (
	SELECT id, district, category, place_key, created_at, address, lat, lon, w,
		lagInFrame(toNullable(id)) OVER win AS prev_id,
		lagInFrame(toNullable(created_at)) OVER win AS prev_at
	FROM base
	WHERE (place_key, category) IN (SELECT place_key, category FROM chronic)
	WINDOW win AS (PARTITION BY place_key, category ORDER BY created_at, id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
),
answers AS (
	SELECT incident_id, min(at) AS first_at, max(at) AS last_at, argMax(executor, at) AS executor, argMax(comment, at) AS comment
	FROM incident_events
	WHERE type = 'responded' AND at <= {to:DateTime64(3)} AND incident_id IN (SELECT id FROM seq)
	GROUP BY incident_id
),
marked AS (
	SELECT s.*, 
		s.created_at > {from:DateTime64(3)} AS in_period,
		s.prev_at IS NOT NULL AND s.prev_at < s.created_at AND s.prev_at >= s.created_at - toIntervalDay(s.w) AS is_repeat,
		pa.first_at AS prev_first_at, pa.incident_id != '' AS prev_answered,
		a.incident_id != '' AS answered, a.last_at AS answer_at, a.executor AS answer_by, a.comment AS answer_text
	FROM seq AS s
	LEFT JOIN answers AS pa ON pa.incident_id = s.prev_id
	LEFT JOIN answers AS a ON a.incident_id = s.id
)
SELECT place_key, category,
	argMax(district, created_at) AS place_district,
	argMaxIf(address, created_at, address != '') AS place_address,
	avgIf(lat, lat IS NOT NULL) AS mean_lat,
	avgIf(lon, lon IS NOT NULL) AS mean_lon,
	countIf(in_period) AS n_period,
	countIf(in_period AND is_repeat) AS repeats,
	countIf(in_period AND is_repeat AND prev_answered AND prev_first_at < created_at) AS repeats_after_answer,
	minIf(created_at, in_period) AS period_first,
	maxIf(created_at, in_period) AS period_last,
	groupArrayIf(2000)(formatDateTime(created_at, '%Y-%m', {tz:String}), created_at > {hist_from:DateTime64(3)}) AS months,
	max(answered) AS any_answer,
	maxIf(answer_at, answered) AS last_answer_at,
	argMaxIf(answer_by, answer_at, answered) AS last_answer_by,
	argMaxIf(answer_text, answer_at, answered) AS last_answer_text
FROM marked
GROUP BY place_key, category
ORDER BY n_period DESC, repeats_after_answer DESC, period_last DESC, place_key
LIMIT {limit:UInt32}
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

export interface ChronicQuery {
	district: string | null;
	category: string | null;
	from: Date;
	to: Date;
	/** Start of the monthly history (≤ from for a longer one). */
	histFrom: Date;
	minCount: number;
	limit: number;
	tz: string;
}

export async function queryChronicPlaces(store: Store, q: ChronicQuery, windows: RepeatWindows): Promise<ChronicRow[]> {
	return runQuery(
		store,
		NAME,
		SQL,
		{
			district: q.district,
			category: q.category,
			from: chTime(q.from),
			to: chTime(q.to),
			hist_from: chTime(q.histFrom),
			k: q.minCount,
			limit: q.limit,
			// The candidates whose history is read: a margin over the limit for the re-ranking by repeats.
			scan: Math.max(q.limit * 4, 100),
			tz: q.tz,
			...windows
		},
		Row
	);
}
