/** Located incidents per res-9 cell over the spatial history [from, to): the spatial shares of the baseline. */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.hotspot_cells';

const SQL = `
SELECT h3ToString(h3) AS cell, toUInt32(count()) AS n
FROM incidents
WHERE h3 != 0 AND created_at >= {from:DateTime64(3)} AND created_at < {to:DateTime64(3)}
GROUP BY h3`;

const Row = z.object({ cell: z.string(), n: z.number() });

export function queryHotspotCells(store: Store, from: Date, to: Date): Promise<z.infer<typeof Row>[]> {
	return runQuery(store, NAME, SQL, { from: chTime(from), to: chTime(to) }, Row);
}
