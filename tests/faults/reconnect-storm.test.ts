/**
 * A reconnect storm: 500 live clients (the city and every district) are connected when the server restarts.
 * They all come back on their own, the storm settles (every client connected, the server counts exactly 500
 * sockets), every client resyncs with a fresh `snapshot` of its own scope from the new process, and a new
 * incident reaches every client in its scope.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { post, startAppProcess, type AppProcess } from '../helpers/app.ts';
import { until, type LiveSocket } from '../helpers/live.ts';
import { incident } from '../helpers/incidents.ts';

const CLIENTS = 500;

let proc: AppProcess | null = null;
const sockets: LiveSocket[] = [];
afterAll(async () => {
	for (const s of sockets) s.close();
	await proc?.kill('SIGKILL');
});

interface Client {
	socket: LiveSocket;
	scope: string | null;
	/** Scopes of the snapshots received, with the time they came. */
	snapshots: { district: string | null; at: number }[];
	incidents: string[];
}

async function liveSockets(url: string): Promise<number> {
	const text = await (await fetch(`${url}/metrics`)).text();
	return [...text.matchAll(/^mcu_live_sockets\{[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('reconnect storm', () => {
	it('brings 500 clients back after a restart, each with a fresh snapshot of its scope', async () => {
		proc = await startAppProcess({ env: { MCU_REPORTS: '0', MCU_INGEST_RATE_PER_MIN: '100000' } });
		const { port, dataDir, tokens } = proc;
		const scopes: [string | null, string][] = [[null, tokens.wall], ...Object.entries(tokens.districts)];
		const clients: Client[] = Array.from({ length: CLIENTS }, (_, i) => {
			const [scope, token] = scopes[i % scopes.length]!;
			const socket: LiveSocket = io(`${proc!.url}/live`, {
				auth: { token },
				transports: ['websocket'],
				forceNew: true,
				// socket.io-client's defaults: 1 s to 5 s back-off with jitter, so the herd spreads out.
				reconnection: true
			});
			sockets.push(socket);
			const c: Client = { socket, scope, snapshots: [], incidents: [] };
			socket.on('snapshot', (s) => c.snapshots.push({ district: s.scope.district, at: Date.now() }));
			socket.on('incident', (x) => c.incidents.push(x.id));
			return c;
		});
		const t0 = Date.now();
		await until(() => clients.every((c) => c.snapshots.length === 1), 60_000, 'every first snapshot');
		const firstMs = Date.now() - t0;
		expect(await liveSockets(proc.url)).toBe(CLIENTS);

		// Restart on the same port, as a supervisor would.
		expect(await proc.kill('SIGTERM')).toBe(0);
		const restartedAt = Date.now();
		proc = await startAppProcess({ dataDir, port, env: { MCU_REPORTS: '0', MCU_INGEST_RATE_PER_MIN: '100000' } });
		const listening = Date.now();
		await until(() => clients.every((c) => c.socket.connected && c.snapshots.length >= 2), 90_000, 'every client back with a fresh snapshot');

		console.log(`reconnect storm: ${CLIENTS} first snapshots in ${firstMs} ms; after the restart (process up in ${listening - restartedAt} ms) all resynced in ${Date.now() - listening} ms`);
		for (const c of clients) {
			const fresh = c.snapshots.filter((s) => s.at > restartedAt);
			expect(fresh.length).toBeGreaterThanOrEqual(1);
			expect(fresh.every((s) => s.district === c.scope)).toBe(true);
		}
		// Settled: the new process holds exactly one socket per client, none twice, none lost.
		let count = await liveSockets(proc.url);
		for (let i = 0; i < 50 && count !== CLIENTS; i++) {
			await new Promise((r) => setTimeout(r, 100));
			count = await liveSockets(proc.url);
		}
		expect(count).toBe(CLIENTS);

		const x = incident({ district: 'central' });
		expect((await post(`${proc.url}/api/v1/incidents`, tokens.ingest, x)).status).toBe(202);
		const inScope = clients.filter((c) => c.scope === null || c.scope === 'central');
		await until(() => inScope.every((c) => c.incidents.includes(x.id)), 20_000, 'the new incident everywhere in scope');
		expect(clients.filter((c) => c.incidents.includes(x.id)).length).toBe(inScope.length);
	}, 180_000);
});
