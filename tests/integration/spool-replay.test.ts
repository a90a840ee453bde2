/**
 * The store fails for real (its table is detached under the running app): batches go to the spool, are
 * acknowledged, and are replayed in order, exactly once, when the store is back — and at start-up.
 */
import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { countRows, get, post, startApp, tempDir, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { until } from '../helpers/live.ts';
import { Spool } from '../../server/ingest/spool.ts';
import { toIncidentRow } from '../../server/ingest/normalize.ts';

let app: StartedApp | null = null;
afterAll(async () => {
	await app?.stop();
});

async function storedIds(a: StartedApp): Promise<string[]> {
	const r = await a.store.query({ query: 'SELECT id FROM incidents ORDER BY id', format: 'JSONEachRow' });
	return (await r.json<{ id: string }>()).map((x) => x.id);
}

describe('spool', () => {
	it('takes batches while the store fails and replays them once when it returns', async () => {
		const dataDir = tempDir();
		// A spool entry left by an earlier process: replayed at start-up.
		const { loadCityPack } = await import('../../server/city/pack.ts');
		const city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
		const leftover = incident();
		const spool = new Spool(path.join(dataDir, 'spool'), 1 << 20);
		await spool.append({ kind: 'incidents', token: 'left', rows: [toIncidentRow(leftover, city, new Date())] });
		await spool.close();

		app = await startApp({ dataDir, pages: false });
		const a = app;
		await until(() => a.pipeline.spoolDepth.entries === 0, 10_000, 'start-up replay');
		expect(await storedIds(a)).toEqual([leftover.id]);

		await a.store.command({ query: 'DETACH TABLE incidents' });
		const first = [incident(), incident()];
		const second = [incident(), first[0]!];
		expect((await post(`${a.url}/api/v1/incidents`, a.tokens.ingest, first)).body).toEqual({ accepted: 2, duplicates: 0 });
		expect((await post(`${a.url}/api/v1/incidents`, a.tokens.ingest, second)).status).toBe(202);
		// the writer finds the store down on its next insert, in the background
		await until(() => !a.pipeline.storeUp, 15_000, 'the writer to find the store down');
		const ready = await get(`${a.url}/readyz`, null);
		expect(ready.body.store).toBe('degraded');
		expect(ready.body.spool.entries).toBe(2);

		await a.store.command({ query: 'ATTACH TABLE incidents' });
		await until(() => a.pipeline.spoolDepth.entries === 0, 15_000, 'replay after the store returned');
		const ids = await storedIds(a);
		expect(ids).toEqual([leftover.id, ...first.map((x) => x.id), second[0]!.id].sort());
		expect((await get(`${a.url}/readyz`, null)).body.store).toBe('up');
		expect(await countRows(a.store, 'incidents')).toBe(4);
		// After the replay, new batches go straight to the store again.
		expect((await post(`${a.url}/api/v1/incidents`, a.tokens.ingest, incident())).body).toEqual({ accepted: 1, duplicates: 0 });
		await a.pipeline.drain();
		expect(await countRows(a.store, 'incidents')).toBe(5);
	});
});
