/**
 * A socket client that stops reading (its TCP socket paused) while a heavy stream of incidents is broadcast:
 * the server buffers for it, and the other clients' latency (POST sent → `incident` received, the median of
 * many events) stays within 10 % or a few ms of the latency measured without it, before and after.
 */
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type StartedApp } from '../helpers/app.ts';
import { connectLive, nextEvent, until, type LiveSocket } from '../helpers/live.ts';
import { incident } from '../helpers/incidents.ts';
import { sleep } from './load.ts';

const CLIENTS = 10;
const POSTS = 60;
const BATCH = 40;
/** ~1 KB per incident view: 60 posts × 40 incidents put ~2.4 MB per phase on every socket. */
const LONG_TEXT = 'Во дворе дома не убран снег, машины не проезжают, жильцы жалуются уже неделю. '.repeat(4);

let app: StartedApp;
const sockets: LiveSocket[] = [];
beforeAll(async () => {
	app = await startApp({ pages: false, env: { MCU_INGEST_RATE_PER_MIN: '1000000', MCU_REPORTS: '0' } });
});
afterAll(async () => {
	for (const s of sockets) s.close();
	await app?.stop();
});

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

/** Sends POSTS batches at a steady pace; returns every client's latency for the first incident of each batch. */
async function measure(clients: LiveSocket[]): Promise<number[]> {
	const sentAt = new Map<string, number>();
	const latencies: number[] = [];
	const onIncident = (i: { id: string }) => {
		const t = sentAt.get(i.id);
		if (t !== undefined) latencies.push(performance.now() - t);
	};
	for (const c of clients) c.on('incident', onIncident);
	for (let p = 0; p < POSTS; p++) {
		const batch = Array.from({ length: BATCH }, () => incident({ text: LONG_TEXT }));
		sentAt.set(batch[0]!.id, performance.now());
		const res = await fetch(`${app.url}/api/v1/incidents`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${app.tokens.ingest}` },
			body: JSON.stringify(batch)
		});
		expect(res.status).toBe(202);
		await res.arrayBuffer();
		await sleep(15);
	}
	await until(() => latencies.length === POSTS * clients.length, 20_000, 'every client got every measured incident');
	for (const c of clients) c.off('incident', onIncident);
	return latencies;
}

describe('a stalled socket client', () => {
	it('does not slow the others', async () => {
		const clients = Array.from({ length: CLIENTS }, () => connectLive(app.url, app.tokens.wall));
		sockets.push(...clients);
		await Promise.all(clients.map((c) => nextEvent(c, 'snapshot', 30_000)));
		await measure(clients); // warm-up: JIT, engine caches

		const before = median(await measure(clients));

		const stalled = connectLive(app.url, app.tokens.wall);
		sockets.push(stalled);
		await nextEvent(stalled, 'snapshot', 30_000);
		stalled.io.reconnection(false);
		const tcp = (stalled.io.engine.transport as unknown as { ws: { _socket: net.Socket } }).ws._socket;
		tcp.pause();
		const serverSide = app.app.live.nsp.sockets.get(stalled.id!)!;
		const ws = (serverSide.conn.transport as unknown as { socket: { bufferedAmount: number; _socket: net.Socket } }).socket;
		const during = median(await measure(clients));
		// The stall was real: the server holds data the client has not read.
		const backlog = ws._socket.writableLength + ws.bufferedAmount;
		expect(backlog).toBeGreaterThan(256 * 1024);
		serverSide.disconnect(true);
		tcp.destroy();

		await sleep(200);
		const after = median(await measure(clients));
		const baseline = (before + after) / 2;
		console.log(`stalled client: median latency before ${before.toFixed(1)} ms, during ${during.toFixed(1)} ms, after ${after.toFixed(1)} ms; ${(backlog / 1024).toFixed(0)} KiB held for it`);
		expect(during).toBeLessThanOrEqual(Math.max(baseline * 1.1, baseline + 3));
	}, 120_000);
});
