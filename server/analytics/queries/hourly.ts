/**
 * Test reference: incidents per hour and category for the 48 hours ending with the current hour (sparse: no
 * zero rows), over every stored incident. The server computes `trends.hourly` from recent.ts and uses only the row type
 * here; tests/analytics/checkpoint.test.ts and the snapshot benchmark compare the two.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime, type Boundaries } from '../time.ts';
import { IN_SCOPE } from './fragments.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.hourly';

const SQL = `
SELECT toStartOfHour(created_at) AS hour, category, toUInt32(count()) AS n
FROM incidents
WHERE created_at >= toStartOfHour({now:DateTime64(3)}) - INTERVAL 47 HOUR
	AND created_at <= {now:DateTime64(3)} AND ${IN_SCOPE}
GROUP BY hour, category
ORDER BY hour, category`;

const Row = z.object({ hour: z.string(), category: z.string(), n: z.number() });
export type HourlyRow = z.infer<typeof Row>;

export function queryHourly(store: Store, b: Boundaries, district: string | null): Promise<HourlyRow[]> {
	return runQuery(store, NAME, SQL, { now: chTime(b.now), district }, Row);
}
