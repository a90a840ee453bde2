/** Incidents per district and category over the spatial history [from, to), located or not: surge baselines. */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.hotspot_areas';

const SQL = `
SELECT district, category, toUInt32(count()) AS n
FROM incidents
WHERE created_at >= {from:DateTime64(3)} AND created_at < {to:DateTime64(3)}
GROUP BY district, category`;

const Row = z.object({ district: z.string(), category: z.string(), n: z.number() });

export function queryHotspotAreas(store: Store, from: Date, to: Date): Promise<z.infer<typeof Row>[]> {
	return runQuery(store, NAME, SQL, { from: chTime(from), to: chTime(to) }, Row);
}
