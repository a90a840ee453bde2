/** Surges raised in [from, to) from `hotspot_log`: one row per surge, its largest count and when it began. */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.hotspot_surges';

const SQL = `
SELECT id, any(district) AS area, any(category) AS cat,
	toUInt32(max(count)) AS largest, argMax(expected, count) AS usual,
	toFloat64(toUnixTimestamp64Milli(min(started_at))) AS started_ms
FROM hotspot_log
WHERE kind = 'surge' AND alert != 'closed' AND at >= {from:DateTime64(3)} AND at < {to:DateTime64(3)}
GROUP BY id
ORDER BY started_ms
LIMIT 200`;

const Row = z.object({ id: z.string(), area: z.string(), cat: z.string(), largest: z.number(), usual: z.number(), started_ms: z.number() });

export interface SurgeRow {
	id: string;
	/** '' for a city-wide surge. */
	district: string;
	category: string;
	count: number;
	expected: number;
	started_ms: number;
}

export async function queryHotspotSurges(store: Store, from: Date, to: Date): Promise<SurgeRow[]> {
	const rows = await runQuery(store, NAME, SQL, { from: chTime(from), to: chTime(to) }, Row);
	return rows.map((r) => ({ id: r.id, district: r.area, category: r.cat, count: r.largest, expected: r.usual, started_ms: r.started_ms }));
}
