/**
 * The week's hot H3 cells (res 9, ~0.1 km²): a cell is hot when its count this week is at least
 * `min_count` and exceeds its own mean of the 8 weeks before by more than three Poisson standard
 * deviations (`count > expected + 3·√max(expected, 0.25)`; the floor keeps an empty history from
 * making every single incident hot). Per district, and for the city (scope '').
 * Categories, addresses and districts come back sorted so the caller picks the dominant one
 * deterministically (ties alphabetical).
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { weekParams, type WeekParams } from './week-params.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../store/time.ts';

export const NAME = 'reports.week_hot_cells';
export const BASELINE_WEEKS = 8;

const SQL = `
SELECT
    scope,
    h3ToString(h3) AS cell,
    toUInt32(countIf(in_week)) AS count,
    countIf(NOT in_week) / {base_weeks:UInt32} AS expected,
    arraySort(groupArrayIf(toString(category), in_week)) AS categories,
    arraySort(groupArrayIf(address, in_week AND address != '')) AS addresses,
    arraySort(groupArrayIf(toString(district), in_week)) AS districts
FROM
(
    SELECT h3, category, address, district, created_at >= {start:DateTime64(3, 'UTC')} AS in_week
    FROM incidents
    WHERE h3 != 0
      AND created_at >= {base_start:DateTime64(3, 'UTC')} AND created_at < {end:DateTime64(3, 'UTC')}
)
ARRAY JOIN [toString(district), ''] AS scope
GROUP BY scope, h3
HAVING count >= {min_count:UInt32} AND count > expected + 3 * sqrt(greatest(expected, 0.25))
ORDER BY scope, count - expected DESC, cell
LIMIT {limit:UInt32} BY scope
`;

export const WeekHotCellRow = z.object({
	scope: z.string(),
	cell: z.string(),
	count: z.number(),
	expected: z.number(),
	categories: z.array(z.string()),
	addresses: z.array(z.string()),
	districts: z.array(z.string())
});
export type WeekHotCellRow = z.infer<typeof WeekHotCellRow>;

export function weekHotCells(
	store: Store,
	p: WeekParams & { base_start: Date },
	opts: { min_count?: number; limit?: number } = {}
): Promise<WeekHotCellRow[]> {
	return runQuery(
		store,
		NAME,
		SQL,
		{ ...weekParams(p), base_start: chTime(p.base_start), base_weeks: BASELINE_WEEKS, min_count: opts.min_count ?? 3, limit: opts.limit ?? 15 },
		WeekHotCellRow
	);
}
