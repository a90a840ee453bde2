/**
 * The open incidents a hotspot is made of, for «Принято в работу» on a hotspot message: its category in
 * its window (from `{since}`), in its cells (a local hotspot) or in its district / the city (a surge).
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../store/time.ts';
import { RESPONDED_IDS } from '../../store/queries/incident-status.ts';

const SQL = `
	SELECT DISTINCT id
	FROM incidents
	WHERE category = {category:String}
	  AND created_at >= {since:DateTime64(3, 'UTC')}
	  AND (length({cells:Array(String)}) = 0 OR h3ToString(h3) IN {cells:Array(String)})
	  AND ({district:Nullable(String)} IS NULL OR length({cells:Array(String)}) > 0 OR district = {district:Nullable(String)})
	  AND id NOT IN (${RESPONDED_IDS} AND incident_id IN (
		SELECT id FROM incidents WHERE category = {category:String} AND created_at >= {since:DateTime64(3, 'UTC')}))
	ORDER BY id
	LIMIT {limit:UInt32}`;

const Row = z.object({ id: z.string() });

export async function hotspotIncidentIds(
	store: Store,
	h: { category: string; cells: string[]; district: string | null; since: Date },
	limit = 500
): Promise<string[]> {
	const since = chTime(h.since);
	const rows = await runQuery(store, 'alerts_hotspot_incidents', SQL, { category: h.category, cells: h.cells, district: h.district, since, limit }, Row);
	return rows.map((r) => r.id);
}
