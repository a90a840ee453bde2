/**
 * SIGKILL during sustained ingest: every acknowledged incident is stored after a restart, none twice.
 * Clients that got no answer re-send their batch after the restart, as a real source would.
 */
import { describe, expect, it } from 'vitest';
import { startAppProcess, tempDir } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { createStore } from '../../server/store/client.ts';
import { loadConfig } from '../../server/config.ts';
import type { IncidentInput } from '../../src/lib/contract/incident.ts';

const WRITERS = 4;
const BATCH = 40;

async function ingestUntilKilled(url: string, token: string, acked: Set<string>, unacked: IncidentInput[][], stop: { now: boolean }): Promise<void> {
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
					} else unacked.push(batch);
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
		const rounds = 3;
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
			const writing = ingestUntilKilled(proc.url, proc.tokens.ingest, acked, unacked, stop);
			await new Promise((r) => setTimeout(r, 700 + Math.random() * 1300));
			proc.child.kill('SIGKILL');
			await proc.exited;
			stop.now = true;
			await writing;
		}
		expect(acked.size).toBeGreaterThan(0);

		const store = await createStore(loadConfig({ MCU_DATA_DIR: dataDir }));
		const r = await store.query({ query: 'SELECT id, count() AS n FROM incidents GROUP BY id', format: 'JSONEachRow' });
		const rows = await r.json<{ id: string; n: string }>();
		const twice = rows.filter((x) => Number(x.n) > 1);
		const stored = new Set(rows.map((x) => x.id));
		const lost = [...acked].filter((id) => !stored.has(id));
		await store.close();
		expect(twice).toEqual([]);
		expect(lost).toEqual([]);
	});
});
