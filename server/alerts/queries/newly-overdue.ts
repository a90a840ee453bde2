/**
 * Open incidents whose deadline fell in (`{from}`, `{to}`]: those that went overdue since the last check.
 * The first check starts at process start, and only incidents received before their deadline count, so
 * history (a backfill, an import, a restart) never alerts.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../store/time.ts';
import { RESPONDED_IDS } from '../../store/queries/incident-status.ts';

const SQL = `
	SELECT id, district, category, severity, address, substring(text, 1, 280) AS text,
		created_at, deadline_at
	FROM incidents
	WHERE deadline_at > {from:DateTime64(3, 'UTC')} AND deadline_at <= {to:DateTime64(3, 'UTC')}
	  AND received_at < deadline_at
	  AND id NOT IN (${RESPONDED_IDS} AND incident_id IN (
		SELECT id FROM incidents WHERE deadline_at > {from:DateTime64(3, 'UTC')} AND deadline_at <= {to:DateTime64(3, 'UTC')}))
	ORDER BY deadline_at, id
	LIMIT 1 BY id
	LIMIT {limit:UInt32}`;

/** An incident as an alert about it needs it; the urgent-incident recovery reads the same shape. */
export const AlertIncidentRow = z.object({
	id: z.string(),
	district: z.string(),
	category: z.string(),
	severity: z.coerce.number(),
	address: z.string(),
	text: z.string(),
	created_at: z.string(),
	deadline_at: z.string()
});

export type OverdueRow = z.infer<typeof AlertIncidentRow>;

const utc = (s: string) => (s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);

export async function newlyOverdue(store: Store, from: Date, to: Date, limit = 2000): Promise<OverdueRow[]> {
	const rows = await runQuery(store, 'alerts_newly_overdue', SQL, { from: chTime(from), to: chTime(to), limit }, AlertIncidentRow);
	return rows.map((r) => ({ ...r, created_at: new Date(utc(r.created_at)).toISOString(), deadline_at: new Date(utc(r.deadline_at)).toISOString() }));
}
