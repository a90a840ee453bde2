/**
 * Urgent incidents received in (`{from}`, `{to}`]: at start, those received just before a crash whose
 * alert may not have been recorded yet (the alert is recorded a moment after the incident's 202).
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { runQuery } from '../../store/query.ts';
import { chTime } from '../../store/time.ts';
import { AlertIncidentRow } from './newly-overdue.ts';

const SQL = `
	SELECT id, district, category, severity, address, substring(text, 1, 280) AS text, created_at, deadline_at
	FROM incidents
	WHERE received_at > {from:DateTime64(3, 'UTC')} AND received_at <= {to:DateTime64(3, 'UTC')}
	  AND severity >= {min_severity:UInt8}
	ORDER BY received_at, id
	LIMIT 1 BY id
	LIMIT {limit:UInt32}`;

export type UrgentRow = z.infer<typeof AlertIncidentRow>;

const utc = (s: string) => new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`).toISOString();

export async function recentUrgent(store: Store, from: Date, to: Date, minSeverity: number, limit = 1000): Promise<UrgentRow[]> {
	const rows = await runQuery(store, 'alerts_recent_urgent', SQL, { from: chTime(from), to: chTime(to), min_severity: minSeverity, limit }, AlertIncidentRow);
	return rows.map((r) => ({ ...r, created_at: utc(r.created_at), deadline_at: utc(r.deadline_at) }));
}
