/**
 * Incidents per local hour of the week over [from, to) (index (ISO weekday − 1)·24 + hour), with the
 * earliest incident of the span, which tells how much history a young store really has.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { runQuery } from '../../store/query.ts';

export const NAME = 'analytics.hotspot_shape';

const SQL = `
SELECT
	toUInt8((toDayOfWeek(created_at, 0, {tz:String}) - 1) * 24 + toHour(toTimeZone(created_at, {tz:String}))) AS how,
	toUInt32(count()) AS n,
	toFloat64(toUnixTimestamp64Milli(min(created_at))) AS first_ms
FROM incidents
WHERE created_at >= {from:DateTime64(3)} AND created_at < {to:DateTime64(3)}
GROUP BY how`;

const Row = z.object({ how: z.number(), n: z.number(), first_ms: z.number() });

export function queryHotspotShape(store: Store, from: Date, to: Date, tz: string): Promise<z.infer<typeof Row>[]> {
	return runQuery(store, NAME, SQL, { from: chTime(from), to: chTime(to), tz }, Row);
}
