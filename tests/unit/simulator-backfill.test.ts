import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCityPack } from '../../server/city/pack.ts';
import { backfillIfEmpty, readGroundTruth, startLiveSimulator } from '../../server/simulate/index.ts';
import { startApp, type StartedApp } from '../helpers/app.ts';

const city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
let app: StartedApp;

beforeAll(async () => {
	app = await startApp({ pages: false });
});
afterAll(async () => {
	await app?.stop();
});

async function count(sql: string, params: Record<string, unknown> = {}): Promise<number> {
	const r = await app.store.query({ query: sql, query_params: params, format: 'JSONEachRow', clickhouse_settings: { log_comment: 'test_count' } });
	return Number((await r.json<{ n: string }>())[0]!.n);
}

describe('backfill and live simulator against the real store', () => {
	it('backfills a year into an empty store, once, without future events', async () => {
		const now = new Date();
		const first = await backfillIfEmpty({ store: app.store, pipeline: app.pipeline, city, seed: 42, now, dataDir: app.dataDir, clusters: 10 });
		expect(first.backfilled).toBe(true);
		expect(first.incidents).toBeGreaterThan(9_900);
		expect(first.incidents).toBeLessThan(12_100);
		expect(await count('SELECT count() AS n FROM incidents')).toBe(first.incidents);
		expect(await count("SELECT countIf(id NOT LIKE 'demo-%') AS n FROM incidents")).toBe(0);
		expect(await count('SELECT count() AS n FROM incident_events')).toBe(first.events);
		const future = await count('SELECT countIf(at > {now:DateTime64(3)}) AS n FROM incident_events', { now: now.getTime() / 1000 });
		expect(future).toBe(0);
		expect(first.pending.length).toBeGreaterThan(0);
		expect(first.pending.every((e) => Date.parse(e.at) > now.getTime())).toBe(true);
		const truth = readGroundTruth(app.dataDir)!;
		expect(truth.clusters).toHaveLength(10);
		expect(truth.clusters[0]!.incident_ids).toHaveLength(8);
		console.log(`backfill: ${first.incidents} incidents, ${first.events} events in ${(first.ms / 1000).toFixed(1)} s`);

		const again = await backfillIfEmpty({ store: app.store, pipeline: app.pipeline, city, seed: 42, now, dataDir: app.dataDir });
		expect(again.backfilled).toBe(false);
		expect(await count('SELECT count() AS n FROM incidents')).toBe(first.incidents);
	});

	it('streams live incidents, clusters and due events through the pipeline', async () => {
		// From 10:00 Barnaul (03:00 UTC) of the last day that has passed it: a daytime rate whenever the suite runs.
		let t = Date.now() - ((Date.now() - Date.UTC(2024, 0, 1, 5)) % 86_400_000) - 2 * 3_600_000;
		const before = await count('SELECT count() AS n FROM incidents');
		const pendingEvent = { incident_id: 'demo-pending-test', type: 'assigned' as const, at: new Date(t + 30 * 60_000).toISOString(), executor: 'Комитет ЖКХ г. Барнаула' };
		const live = startLiveSimulator({ pipeline: app.pipeline, city, seed: 9, speed: 600, now: () => new Date(t), tickMs: 3_600_000, pending: [pendingEvent] });
		t += 3_600_000; // one simulated hour at 600× ≈ 750 incidents
		await live.tick();
		expect(live.stats.incidents).toBeGreaterThan(100);
		const truth = live.injectCluster({ category: 'heating', size: 5 });
		t += 3_600_000;
		await live.tick();
		await live.stop();
		expect(live.stats.errors).toBe(0);
		await app.pipeline.drain();
		const after = await count('SELECT count() AS n FROM incidents');
		expect(after - before).toBe(live.stats.incidents);
		const q = "SELECT count() AS n FROM incidents WHERE id IN {ids:Array(String)} AND category = 'heating'";
		expect(await count(q, { ids: truth.incident_ids })).toBe(5);
		expect(await count("SELECT count() AS n FROM incident_events WHERE incident_id = 'demo-pending-test'")).toBe(1);
	});
});
