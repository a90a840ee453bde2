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
const BATCH = 5;
/** The flood that fills the stalled client's kernel buffers first: ~1 KB per incident view, ~10 MB in all. */
const FLOOD_POSTS = 10;
const FLOOD_BATCH = 1000;
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
async function postBatch(batch: unknown[]): Promise<void> {
	const res = await fetch(`${app.url}/api/v1/incidents`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${app.tokens.ingest}` },
		body: JSON.stringify(batch)
	});
	expect(res.status).toBe(202);
	await res.arrayBuffer();
}

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
		await postBatch(batch);
		await sleep(10);
	}
	await until(() => latencies.length === POSTS * clients.length, 20_000, 'every client got every measured incident');
	for (const c of clients) c.off('incident', onIncident);
	return latencies;
}

/** Connects a client and stops reading its socket; returns how much the server holds for it, and a way to end it. */
async function stalledClient(): Promise<{ held(): number; end(): void }> {
	const stalled = connectLive(app.url, app.tokens.wall);
	sockets.push(stalled);
	await nextEvent(stalled, 'snapshot', 30_000);
	stalled.io.reconnection(false);
	const tcp = (stalled.io.engine.transport as unknown as { ws: { _socket: net.Socket } }).ws._socket;
	tcp.pause();
	const serverSide = app.app.live.nsp.sockets.get(stalled.id!)!;
	const ws = (serverSide.conn.transport as unknown as { socket: { bufferedAmount: number; _socket: net.Socket } }).socket;
	return {
		// engine.io's queue of packets waiting for the transport, plus the socket's own buffers.
		held: () =>
			(serverSide.conn as unknown as { writeBuffer: { data?: unknown }[] }).writeBuffer.reduce((n, p) => n + (typeof p.data === 'string' ? p.data.length : 0), 0) +
			ws._socket.writableLength +
			ws.bufferedAmount,
		end: () => {
			serverSide.disconnect(true);
			tcp.destroy();
		}
	};
}

/**
 * One phase: a flood (the others' queues drain between posts; a stalled client's only grows), then the
 * latency measurement. Every phase floods, so the stalled client is the only difference between them.
 * A phase stays well under the server's ping timeout, which would otherwise drop the stalled client.
 */
async function phase(withStalled: boolean, clients: LiveSocket[]): Promise<{ latencies: number[]; held: number }> {
	const stalled = withStalled ? await stalledClient() : null;
	let held = 0;
	const probe = setInterval(() => (held = Math.max(held, stalled?.held() ?? 0)), 20);
	for (let p = 0; p < FLOOD_POSTS; p++) await postBatch(Array.from({ length: FLOOD_BATCH }, () => incident({ text: LONG_TEXT })));
	const latencies = await measure(clients);
	clearInterval(probe);
	stalled?.end();
	return { latencies, held };
}

describe('a stalled socket client', () => {
	it('does not slow the others', async () => {
		const clients = Array.from({ length: CLIENTS }, () => connectLive(app.url, app.tokens.wall));
		sockets.push(...clients);
		await Promise.all(clients.map((c) => nextEvent(c, 'snapshot', 30_000)));
		await phase(false, clients); // warm-up: JIT, engine caches

		// Alternating phases, so a drift of the machine over time weighs on both sides alike.
		const order = [false, true, false, true, false];
		const free: number[] = [];
		const stalled: number[] = [];
		let held = Infinity;
		for (const withStalled of order) {
			const r = await phase(withStalled, clients);
			(withStalled ? stalled : free).push(...r.latencies);
			if (withStalled) held = Math.min(held, r.held);
		}
		const baseline = median(free);
		const during = median(stalled);
		console.log(`stalled client: median latency of ${CLIENTS} others ${baseline.toFixed(1)} ms without, ${during.toFixed(1)} ms with it (${stalled.length} events); at least ${(held / 1024).toFixed(0)} KiB held for it`);
		// The stall was real: the server held data the client had not read, beyond what the kernel buffers take.
		expect(held).toBeGreaterThan(1024 * 1024);
		expect(during).toBeLessThanOrEqual(Math.max(baseline * 1.1, baseline + 3));
	}, 150_000);
});
