/**
 * A fresh embedded store in a temp dir for analytics tests, and direct inserts of incidents and
 * events (the rows the ingest pipeline would write), so fixtures control every column.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { latLngToCell } from 'h3-js';
import { loadConfig, type Config } from '../../../server/config.ts';
import { createStore, type Store } from '../../../server/store/client.ts';
import { migrate } from '../../../server/store/migrate.ts';
import { chTime } from '../../../server/analytics/time.ts';

export interface TestStore {
	store: Store;
	config: Config;
	dir: string;
	/** Closes the client and removes the temp dir. */
	close(): Promise<void>;
}

export async function openTestStore(prefix = 'mcu-analytics-'): Promise<TestStore> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const config = loadConfig({ MCU_DATA_DIR: dir, MCU_DEMO: '0' });
	const store = await createStore(config);
	await migrate(store);
	return {
		store,
		config,
		dir,
		async close() {
			await store.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}

export interface IncidentRow {
	id: string;
	created_at: Date;
	district: string;
	category: string;
	deadline_at: Date;
	source?: string;
	lat?: number | null;
	lon?: number | null;
	address?: string;
	text?: string;
	url?: string;
	/** Stored as is (the pipeline would store the salted hash). */
	author_hash?: string;
	severity?: number;
	received_at?: Date;
}

export interface EventRow {
	incident_id: string;
	type: 'assigned' | 'responded' | 'resolved' | 'reopened';
	at: Date;
	received_at?: Date;
}

export async function insertIncidents(store: Store, rows: readonly IncidentRow[]): Promise<void> {
	await store.insert({
		table: 'incidents',
		format: 'JSONEachRow',
		values: rows.map((r) => {
			const located = r.lat != null && r.lon != null;
			return {
				id: r.id,
				source: r.source ?? 'vk',
				created_at: chTime(r.created_at),
				received_at: chTime(r.received_at ?? r.created_at),
				category: r.category,
				district: r.district,
				lat: located ? r.lat : null,
				lon: located ? r.lon : null,
				h3: located ? BigInt(`0x${latLngToCell(r.lat!, r.lon!, 9)}`).toString() : '0',
				address: r.address ?? '',
				text: r.text ?? '',
				url: r.url ?? '',
				severity: r.severity ?? 2,
				deadline_at: chTime(r.deadline_at),
				author_hash: r.author_hash ?? ''
			};
		})
	});
}

export async function insertEvents(store: Store, rows: readonly EventRow[]): Promise<void> {
	await store.insert({
		table: 'incident_events',
		format: 'JSONEachRow',
		values: rows.map((e) => ({
			incident_id: e.incident_id,
			type: e.type,
			at: chTime(e.at),
			received_at: chTime(e.received_at ?? e.at),
			executor: 'Комитет ЖКХ',
			comment: ''
		}))
	});
}

/** A Barnaul wall-clock time (UTC+7 all year) as an instant: `local('2024-03-11 10:30')`. */
export function local(s: string): Date {
	return new Date(`${s.replace(' ', 'T')}:00+07:00`);
}
