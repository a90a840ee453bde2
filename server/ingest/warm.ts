/**
 * Start-up of the duplicate indexes: every key the store holds (paged in key order, so memory stays that
 * of one page), then the entries still pending in the local log, which an earlier process acknowledged.
 */
import type { Store } from '../store/client.ts';
import { storedIdPage } from '../store/queries/stored-id-page.ts';
import { storedEventPage, type StoredEventKey } from '../store/queries/stored-event-page.ts';
import { eventKey, type EventRow, type IncidentRow } from './normalize.ts';
import type { KeyIndex } from './key-index.ts';
import type { Spool } from './spool.ts';

const PAGE = 100_000;

export async function warmKeyIndexes(store: Store, spool: Spool, incidents: KeyIndex<string>, events: KeyIndex<true>): Promise<void> {
	for (let after = ''; ; ) {
		const ids = await storedIdPage(store, after, PAGE);
		for (const id of ids) incidents.addStored(id);
		if (ids.length < PAGE) break;
		after = ids[ids.length - 1]!;
	}
	for (let after: StoredEventKey = { incident_id: '', type: '', at_ms: 0 }; ; ) {
		const page = await storedEventPage(store, after, PAGE);
		for (const e of page) events.addStored(eventKey({ incident_id: e.incident_id, type: e.type, at: new Date(e.at_ms).toISOString() }));
		if (page.length < PAGE) break;
		after = page[page.length - 1]!;
	}
	for (let from: number | undefined; ; ) {
		const { entries, ends } = await spool.readPending(1000, 32 * 1024 * 1024, from);
		if (entries.length === 0) break;
		for (const entry of entries) {
			if (entry.kind === 'incidents') for (const r of entry.rows as IncidentRow[]) incidents.markPending(r.id, r.district);
			else for (const r of entry.rows as EventRow[]) events.markPending(eventKey(r), true);
		}
		from = ends[ends.length - 1]!;
	}
}
