/**
 * The answer waits for the log's fsync and for nothing the engine does. The embedded engine runs each query
 * on one of libuv's pool threads for as long as it lasts; here more sleeping queries than the pool has
 * threads hold all of them, and an ingest POST must still be answered — and pushed to a live client —
 * before the first of them returns (they sleep for seconds; the answer needs an fsync).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';

let app: StartedApp;
let client: Socket;

beforeAll(async () => {
	app = await startApp({ pages: false });
	client = io(`${app.url}/live`, { auth: { token: app.tokens.wall }, transports: ['websocket'] });
	await new Promise<void>((resolve) => client.once('snapshot', () => resolve()));
}, 60_000);

afterAll(async () => {
	client?.close();
	await app?.stop();
});

/** A query that holds its pool thread for `seconds` without using the CPU. */
function sleepingQuery(seconds: number): Promise<unknown> {
	return app.store.query({
		query: `SELECT sleepEachRow(1) FROM numbers(${seconds}) SETTINGS max_block_size = 1, function_sleep_max_microseconds_per_block = 0`,
		format: 'JSONEachRow'
	});
}

describe('ingest while the engine is busy', () => {
	it('answers and pushes a POST before any of the queries holding every pool thread returns', async () => {
		// libuv's pool has 4 threads unless UV_THREADPOOL_SIZE says otherwise: take every one of them
		const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
		let returned = 0;
		const busy = Array.from({ length: threads + 2 }, () => sleepingQuery(4).finally(() => (returned += 1)));
		// let the queries reach the engine and take their threads
		await new Promise((r) => setTimeout(r, 300));
		const item = incident();
		const pushed = new Promise<string>((resolve) => client.on('incident', (v: { id: string }) => v.id === item.id && resolve(v.id)));
		const answer = await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, item);
		const answeredWhileBusy = returned === 0;
		expect(await pushed).toBe(item.id);
		const pushedWhileBusy = returned === 0;
		expect(answer).toEqual({ status: 202, body: { accepted: 1, duplicates: 0 } });
		expect({ answeredWhileBusy, pushedWhileBusy }).toEqual({ answeredWhileBusy: true, pushedWhileBusy: true });
		await Promise.all(busy);
		// and it reaches the store once the engine is free
		await app.pipeline.drain();
		const r = await app.store.query({ query: 'SELECT count() AS n FROM incidents WHERE id = {id:String}', query_params: { id: item.id }, format: 'JSONEachRow' });
		expect(await r.json()).toEqual([{ n: '1' }]);
	}, 60_000);
});
