/**
 * A socket client that stops reading (its TCP socket paused) while a heavy stream of incidents is broadcast:
 * the server holds the backlog for it, and the other clients' latency stays within 10 % or a few ms of their
 * latency without it. Latency here is publish → `incident` received: the fan-out path through the real
 * LivePublisher, Socket.IO server and clients, without the store's write time, whose variation would drown
 * the effect measured. Medians over many events, in alternating phases with and without the stalled client.
 */
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type StartedApp } from '../helpers/app.ts';
import { connectLive, nextEvent, until, type LiveSocket } from '../helpers/live.ts';
import { sleep } from './load.ts';
import type { IncidentView } from '../../src/lib/contract/incident.ts';

const CLIENTS = 10;
const SAMPLES = 100;
/** The flood that fills the stalled client's kernel buffers: ~0.8 KB per view, ~12 MB. */
const FLOOD = 15_000;
const TEXT = 'Во дворе дома не убран снег, машины не проезжают, жильцы жалуются уже неделю. '.repeat(4).slice(0, 280);

let app: StartedApp;
const sockets: LiveSocket[] = [];
beforeAll(async () => {
	app = await startApp({ pages: false, env: { MCU_REPORTS: '0' } });
});
afterAll(async () => {
	for (const s of sockets) s.close();
	await app?.stop();
});

let seq = 0;
function view(): IncidentView {
	seq += 1;
	return {
		id: `stall-${seq}`,
		created_at: new Date().toISOString(),
		district: 'central',
		category: 'snow',
		source: 'vk',
		lat: 53.3222,
		lon: 83.7783,
		address: 'ул. Ленина, 1',
		text: TEXT,
		severity: 2,
		status: 'open',
		deadline_at: new Date(Date.now() + 8 * 3600_000).toISOString(),
		repeat_of: null
	};
}

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)]!;
}

/** Publishes SAMPLES incidents at a steady pace; returns every client's latency for each. */
async function measure(clients: LiveSocket[]): Promise<number[]> {
	const sentAt = new Map<string, number>();
	const latencies: number[] = [];
	const onIncident = (i: { id: string }) => {
		const t = sentAt.get(i.id);
		if (t !== undefined) latencies.push(performance.now() - t);
	};
	for (const c of clients) c.on('incident', onIncident);
	for (let p = 0; p < SAMPLES; p++) {
		const v = view();
		sentAt.set(v.id, performance.now());
		app.app.live.publisher.incident(v);
		await sleep(5);
	}
	await until(() => latencies.length === SAMPLES * clients.length, 20_000, 'every client got every measured incident');
	for (const c of clients) c.off('incident', onIncident);
	return latencies;
}

/**
 * Connects a client, stops reading its socket, and floods it (server-side emits to it alone) until the server
 * holds megabytes for it beyond what the kernel buffers take.
 */
async function stalledClient(): Promise<{ held(): number; end(): void }> {
	const stalled = connectLive(app.url, app.tokens.wall);
	sockets.push(stalled);
	await nextEvent(stalled, 'snapshot', 30_000);
	stalled.io.reconnection(false);
	const tcp = (stalled.io.engine.transport as unknown as { ws: { _socket: net.Socket } }).ws._socket;
	tcp.pause();
	const serverSide = app.app.live.nsp.sockets.get(stalled.id!)!;
	const ws = (serverSide.conn.transport as unknown as { socket: { bufferedAmount: number; _socket: net.Socket } }).socket;
	for (let n = 0; n < FLOOD; n += 500) {
		for (let k = 0; k < 500; k++) serverSide.emit('incident', view());
		await sleep(1);
	}
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

/** One phase, with or without a stalled client; it lasts about a second, well under the ping timeout. */
async function phase(withStalled: boolean, clients: LiveSocket[]): Promise<{ latencies: number[]; held: number }> {
	const stalled = withStalled ? await stalledClient() : null;
	const latencies = await measure(clients);
	const held = stalled?.held() ?? 0;
	stalled?.end();
	return { latencies, held };
}

describe('a stalled socket client', () => {
	it('does not slow the others', async () => {
		const clients = Array.from({ length: CLIENTS }, () => connectLive(app.url, app.tokens.wall));
		sockets.push(...clients);
		await Promise.all(clients.map((c) => nextEvent(c, 'snapshot', 30_000)));
		await phase(false, clients); // warm-up: JIT, buffers

		// Alternating phases, so a drift of the machine over time weighs on both sides alike.
		const free: number[] = [];
		const stalled: number[] = [];
		let held = Infinity;
		for (const withStalled of [false, true, false, true, false, true, false]) {
			const r = await phase(withStalled, clients);
			(withStalled ? stalled : free).push(...r.latencies);
			if (withStalled) held = Math.min(held, r.held);
		}
		const baseline = median(free);
		const during = median(stalled);
		console.log(
			`stalled client: median latency of ${CLIENTS} others ${baseline.toFixed(2)} ms without, ${during.toFixed(2)} ms with it (${stalled.length} events each); at least ${(held / 1024 / 1024).toFixed(1)} MiB held for it`
		);
		// The stall was real: the server held data the client had not read, beyond what the kernel buffers take.
		expect(held).toBeGreaterThan(2 * 1024 * 1024);
		expect(during).toBeLessThanOrEqual(Math.max(baseline * 1.1, baseline + 2));
	}, 150_000);
});
