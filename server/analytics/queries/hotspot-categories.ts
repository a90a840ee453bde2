/** Incidents per category over the recent history [from, to): the city-wide category rates of the baseline. */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.hotspot_categories';

const SQL = `
SELECT category, toUInt32(count()) AS n
FROM incidents
WHERE created_at >= {from:DateTime64(3)} AND created_at < {to:DateTime64(3)}
GROUP BY category`;

const Row = z.object({ category: z.string(), n: z.number() });

export function queryHotspotCategories(store: Store, from: Date, to: Date): Promise<z.infer<typeof Row>[]> {
	return runQuery(store, NAME, SQL, { from: chTime(from), to: chTime(to) }, Row);
}
