/** `place_days` (migration 041) and the same GROUP BY over `incidents`, as sorted tab-separated rows to compare. */
import type { Store } from '../../../server/store/client.ts';

export async function perDayBothWays(store: Store): Promise<{ table: string[]; raw: string[] }> {
	const read = async (sql: string) => {
		const r = await store.query({ query: sql, format: 'JSONEachRow' });
		return (await r.json<Record<string, string>>()).map((x) => Object.values(x).join('\t')).sort();
	};
	const table = await read(`SELECT day, district, category, place_key, toString(pair) AS pair, sum(n) AS n, max(latest) AS latest
		FROM place_days GROUP BY day, district, category, place_key, pair`);
	const raw = await read(`SELECT toDate(created_at) AS day, district, category, place_key, toString(cityHash64(place_key, category)) AS pair,
		count() AS n, max(created_at) AS latest FROM incidents WHERE place_key NOT IN ('', '-') GROUP BY day, district, category, place_key`);
	return { table, raw };
}
