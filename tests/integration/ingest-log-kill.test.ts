/**
 * SIGKILL right after an answer, while the acknowledged batches still wait in the local log for the store:
 * after each restart the log is replayed, and in the end the stored incidents and status events are exactly
 * the acknowledged ones, none twice, written in the order they were acknowledged. A batch re-sent after a
 * restart is answered as duplicates from the warmed indexes, whether it was in the store or still in the log.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { get, post, startAppProcess, tempDir } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { createStore } from '../../server/store/client.ts';
import { loadConfig } from '../../server/config.ts';
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';

const BATCH = 60;

/** Entries left in the log (past the stored offset) by a killed process. */
function pendingInLog(dataDir: string): number {
	const log = fs.readFileSync(path.join(dataDir, 'spool', 'spool.log'));
	const offsetFile = path.join(dataDir, 'spool', 'spool.offset');
	const offset = fs.existsSync(offsetFile) ? Number(fs.readFileSync(offsetFile, 'utf8')) : 0;
	let n = 0;
	for (let i = offset; i < log.length; i++) if (log[i] === 10) n++;
	return n;
}

/** Block range of a part name (`<partition>_<min>_<max>_<level>[_<mutation>]`). */
function blocks(part: string): [number, number] {
	const p = part.split('_');
	return [Number(p[1]), Number(p[2])];
}

/** Keys whose rows sit in a block strictly before a block of a key acknowledged earlier. */
function outOfOrder(ackOrder: string[], partOf: Map<string, string>): string[] {
	const bad: string[] = [];
	let maxMinSoFar = -1;
	for (const key of ackOrder) {
		const [min, max] = blocks(partOf.get(key)!);
		if (max < maxMinSoFar) bad.push(key);
		maxMinSoFar = Math.max(maxMinSoFar, min);
	}
	return bad;
}

describe('kill -9 with acknowledged batches still in the log', () => {
	it('stores exactly the acknowledged incidents and events, once each, in acknowledgement order', async () => {
		const dataDir = tempDir();
		const ackedIncidents: string[] = [];
		const ackedEvents: string[] = [];
		let lastAcked: IncidentInput[] = [];
		let inFlight: { incidents: IncidentInput[]; events: StatusEventInput[] } | null = null;
		let pendingAtKill = 0;
		for (let round = 0; round < 4; round++) {
			const proc = await startAppProcess({ dataDir, env: { MCU_INGEST_RATE_PER_MIN: '1000000', MCU_REPORTS: '0' } });
			const send = (p: string, body: unknown[]) => post(`${proc.url}${p}`, proc.tokens.ingest, body);
			if (round > 0) {
				// Re-sent after the restart: known from the store or from the replayed log, never accepted twice.
				expect((await send('/api/v1/incidents', lastAcked)).body).toEqual({ accepted: 0, duplicates: lastAcked.length });
				// The batch that got no answer is sent again, as a source would; part of it may have been durable.
				if (inFlight) {
					if (inFlight.incidents.length > 0) {
						const r = await send('/api/v1/incidents', inFlight.incidents);
						expect(r.status).toBe(202);
						expect(r.body.accepted + r.body.duplicates).toBe(inFlight.incidents.length);
						ackedIncidents.push(...inFlight.incidents.map((x) => x.id));
					}
					const e = await send('/api/v1/events', inFlight.events);
					expect(e.status).toBe(202);
					ackedEvents.push(...inFlight.events.map((x) => x.incident_id));
				}
			}
			inFlight = null;
			const killAfter = 15 + Math.floor(Math.random() * 25);
			for (let i = 0; ; i++) {
				const incidents = Array.from({ length: BATCH }, () => incident());
				// Every fourth incident gets a status event in the same moment, some before their incident.
				const events: StatusEventInput[] = incidents.filter((_, k) => k % 4 === 0).map((x) => ({ incident_id: x.id, type: 'responded', at: new Date().toISOString() }));
				if (i === killAfter) {
					inFlight = { incidents, events };
					// Sent, and killed as soon as the answer is written: the store has not had time for it.
					const pending = send('/api/v1/incidents', incidents).catch(() => null);
					const answered = await pending;
					proc.child.kill('SIGKILL');
					await proc.exited;
					if (answered?.status === 202) {
						ackedIncidents.push(...incidents.map((x) => x.id));
						lastAcked = incidents;
						inFlight = { incidents: [], events };
					}
					break;
				}
				if (i % 2 === 0) {
					expect((await send('/api/v1/events', events)).body).toEqual({ accepted: events.length, duplicates: 0 });
					ackedEvents.push(...events.map((x) => x.incident_id));
				}
				expect((await send('/api/v1/incidents', incidents)).body).toEqual({ accepted: BATCH, duplicates: 0 });
				ackedIncidents.push(...incidents.map((x) => x.id));
				if (i % 2 === 1) {
					expect((await send('/api/v1/events', events)).body).toEqual({ accepted: events.length, duplicates: 0 });
					ackedEvents.push(...events.map((x) => x.incident_id));
				}
				lastAcked = incidents;
			}
			pendingAtKill += pendingInLog(dataDir);
		}
		// Kills came while the store was behind the log: the replay path ran.
		expect(pendingAtKill).toBeGreaterThan(0);

		const last = await startAppProcess({ dataDir });
		for (let ready = await get(`${last.url}/readyz`, null); ready.body.spool?.entries !== 0; ready = await get(`${last.url}/readyz`, null)) {
			await new Promise((r) => setTimeout(r, 100));
		}
		expect(await last.kill('SIGTERM')).toBe(0);

		const store = await createStore(loadConfig({ MCU_DATA_DIR: dataDir }));
		const inc = await (await store.query({ query: 'SELECT id, _part AS part FROM incidents', format: 'JSONEachRow' })).json<{ id: string; part: string }>();
		const ev = await (await store.query({ query: 'SELECT incident_id, _part AS part FROM incident_events', format: 'JSONEachRow' })).json<{ incident_id: string; part: string }>();
		await store.close();

		const uniqueAcked = [...new Set(ackedIncidents)];
		expect(inc.length).toBe(uniqueAcked.length);
		expect(new Set(inc.map((r) => r.id))).toEqual(new Set(uniqueAcked));
		const uniqueEvents = [...new Set(ackedEvents)];
		expect(ev.length).toBe(uniqueEvents.length);
		expect(new Set(ev.map((r) => r.incident_id))).toEqual(new Set(uniqueEvents));

		expect(outOfOrder(uniqueAcked, new Map(inc.map((r) => [r.id, r.part])))).toEqual([]);
		expect(outOfOrder(uniqueEvents, new Map(ev.map((r) => [r.incident_id, r.part])))).toEqual([]);
	}, 240_000);
});
