/**
 * SIGKILL at random moments during sustained ingest, five times: every acknowledged incident is stored after
 * a restart, none twice, and no request is answered with anything but 202 while the process lives.
 * Clients that got no answer re-send their batch after the restart, as a real source would.
 */
import { describe, expect, it } from 'vitest';
import { get, startAppProcess, tempDir } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { createStore } from '../../server/store/client.ts';
import { loadConfig } from '../../server/config.ts';
import type { IncidentInput } from '../../src/lib/contract/incident.ts';

const WRITERS = 4;
const BATCH = 40;

async function ingestUntilKilled(url: string, token: string, acked: Set<string>, unacked: IncidentInput[][], refused: number[], stop: { now: boolean }): Promise<void> {
	await Promise.all(
		Array.from({ length: WRITERS }, async () => {
			while (!stop.now) {
				const batch = Array.from({ length: BATCH }, () => incident());
				try {
					const res = await fetch(`${url}/api/v1/incidents`, {
						method: 'POST',
						headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
						body: JSON.stringify(batch)
					});
					if (res.status === 202) {
						await res.json();
						for (const x of batch) acked.add(x.id);
					} else {
						refused.push(res.status);
						unacked.push(batch);
					}
				} catch {
					unacked.push(batch);
					return;
				}
			}
		})
	);
}

describe('kill -9 during ingest', () => {
	it('loses no acknowledged incident and stores none twice, over repeated kills', async () => {
		const dataDir = tempDir();
		const acked = new Set<string>();
		const unacked: IncidentInput[][] = [];
		const refused: number[] = [];
		const ackedPerRound: number[] = [];
		const rounds = 5;
		for (let round = 0; round < rounds; round++) {
			const proc = await startAppProcess({ dataDir, env: { MCU_INGEST_RATE_PER_MIN: '1000000' } });
			// Sources retry what they never got an answer for.
			for (const batch of unacked.splice(0)) {
				const res = await fetch(`${proc.url}/api/v1/incidents`, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${proc.tokens.ingest}` },
					body: JSON.stringify(batch)
				});
				expect(res.status).toBe(202);
				for (const x of batch) acked.add(x.id);
			}
			const stop = { now: false };
			const before = acked.size;
			const writing = ingestUntilKilled(proc.url, proc.tokens.ingest, acked, unacked, refused, stop);
			await new Promise((r) => setTimeout(r, 300 + Math.random() * 2200));
			proc.child.kill('SIGKILL');
			await proc.exited;
			stop.now = true;
			await writing;
			ackedPerRound.push(acked.size - before);
		}
		// A last start replays whatever the spool holds, then stops gracefully so the store can be opened here.
		const last = await startAppProcess({ dataDir });
		for (let ready = await get(`${last.url}/readyz`, null); ready.body.spool?.entries !== 0; ready = await get(`${last.url}/readyz`, null)) {
			await new Promise((r) => setTimeout(r, 100));
		}
		expect(await last.kill('SIGTERM')).toBe(0);
		expect(refused).toEqual([]);
		expect(ackedPerRound.every((n) => n > 0)).toBe(true);

		const store = await createStore(loadConfig({ MCU_DATA_DIR: dataDir }));
		const r = await store.query({ query: 'SELECT id, count() AS n FROM incidents GROUP BY id', format: 'JSONEachRow' });
		const rows = await r.json<{ id: string; n: string }>();
		const twice = rows.filter((x) => Number(x.n) > 1);
		const stored = new Set(rows.map((x) => x.id));
		const lost = [...acked].filter((id) => !stored.has(id));
		await store.close();
		expect(twice).toEqual([]);
		expect(lost).toEqual([]);
	}, 180_000);
});
