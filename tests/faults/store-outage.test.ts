/**
 * The store fails mid-stream under sustained ingest (its tables are detached under the running app, twice):
 * every batch is still answered 202, goes to the spool while the store is down, and is replayed when it
 * returns. Afterwards the acknowledged incidents and status events are exactly the stored ones: none lost,
 * none twice.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { get, startApp, type StartedApp } from '../helpers/app.ts';
import { until } from '../helpers/live.ts';
import { sleep, sustainedIngest } from './load.ts';

let app: StartedApp | null = null;
afterAll(async () => {
	await app?.stop();
});

async function storedCounts(a: StartedApp, sql: string): Promise<Map<string, number>> {
	const r = await a.store.query({ query: sql, format: 'JSONEachRow' });
	return new Map((await r.json<{ k: string; n: string }>()).map((x) => [x.k, Number(x.n)]));
}

describe('store outage under sustained ingest', () => {
	it('spools while the store is down, replays when it returns, and stores every acknowledged row once', async () => {
		app = await startApp({ pages: false, env: { MCU_INGEST_RATE_PER_MIN: '1000000', MCU_REPORTS: '0' } });
		const a = app;
		// Paced well below what the engine inserts on a loaded machine: the subject is the outage, not throughput.
		const load = sustainedIngest({ url: a.url, token: a.tokens.ingest, writers: 4, batch: 25, pauseMs: 100 });
		let spooledAtPeak = 0;
		for (let outage = 0; outage < 2; outage++) {
			await sleep(400 + Math.random() * 600);
			const before = load.result.incidents.size;
			await a.store.command({ query: 'DETACH TABLE incidents' });
			await a.store.command({ query: 'DETACH TABLE incident_events' });
			// Batches always pass through the log; during the outage they stay there once the writer has failed.
			await until(() => !a.pipeline.storeUp && a.pipeline.spoolDepth.entries >= 4 && load.result.incidents.size > before + 100, 20_000, 'batches spooled during the outage');
			spooledAtPeak = Math.max(spooledAtPeak, a.pipeline.spoolDepth.entries);
			expect((await get(`${a.url}/readyz`, null)).body.store).not.toBe('up');
			await a.store.command({ query: 'ATTACH TABLE incidents' });
			await a.store.command({ query: 'ATTACH TABLE incident_events' });
			// Everything acknowledged during the outage reaches the store (new batches keep passing through the log).
			await a.pipeline.drain();
			expect(a.pipeline.storeUp).toBe(true);
		}
		await sleep(500);
		const result = await load.stop();
		await a.pipeline.drain();
		await until(() => a.pipeline.spoolDepth.entries === 0, 30_000, 'the last spooled batches replayed');

		expect(result.refused).toEqual([]);
		expect(result.unsent).toEqual([]);
		expect(spooledAtPeak).toBeGreaterThan(0);
		const incidents = await storedCounts(a, 'SELECT id AS k, count() AS n FROM incidents GROUP BY id');
		const events = await storedCounts(a, "SELECT concat(incident_id, '|', type) AS k, count() AS n FROM incident_events GROUP BY k");
		expect([...incidents].filter(([, n]) => n > 1)).toEqual([]);
		expect([...events].filter(([, n]) => n > 1)).toEqual([]);
		expect([...result.incidents].filter((id) => !incidents.has(id))).toEqual([]);
		expect([...result.events].filter((k) => !events.has(k))).toEqual([]);
		// Nothing stored that was not acknowledged either.
		expect(incidents.size).toBe(result.incidents.size);
		expect(events.size).toBe(result.events.size);
		expect((await get(`${a.url}/readyz`, null)).body.store).toBe('up');
	}, 120_000);
});
