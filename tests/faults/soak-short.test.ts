/**
 * The short soak that runs in CI (the hour-long one is `npm run bench -- soak --soak-minutes 60`): 20 incidents/s
 * for 30 s to 50 live clients of a server in its own process. Every client gets every incident exactly once,
 * nobody is dropped, the socket gauge returns to zero, and the server's V8 heap ends less than 50 MB above where it
 * started: the heap's saw-tooth stays well inside that, a leak of 2 KB per delivered message (30 000 here) does not.
 * RSS is not judged here: the embedded engine's caches fill for minutes; the hour-long soak reads RSS.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../helpers/app.ts';
import { connectLive, nextEvent, until, type LiveSocket } from '../helpers/live.ts';
import { incident } from '../helpers/incidents.ts';

const CLIENTS = 50;
const RATE = 20;
const SECONDS = 30;

let proc: AppProcess | null = null;
const sockets: LiveSocket[] = [];
afterAll(async () => {
	for (const s of sockets) s.close();
	await proc?.kill('SIGTERM');
});

async function metric(url: string, name: string): Promise<number> {
	const text = await (await fetch(`${url}/metrics`)).text();
	return text
		.split('\n')
		.filter((l) => l.startsWith(name))
		.reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

describe('short soak', () => {
	it('delivers every incident to every client once and keeps memory bounded', async () => {
		proc = await startAppProcess({ env: { MCU_REPORTS: '0', MCU_INGEST_RATE_PER_MIN: '100000' } });
		const p = proc;
		const received: Map<string, number>[] = [];
		let disconnects = 0;
		for (let i = 0; i < CLIENTS; i++) {
			const s = connectLive(p.url, p.tokens.wall);
			const seen = new Map<string, number>();
			s.on('incident', (x) => seen.set(x.id, (seen.get(x.id) ?? 0) + 1));
			s.on('disconnect', () => disconnects++);
			sockets.push(s);
			received.push(seen);
		}
		await Promise.all(sockets.map((s) => nextEvent(s, 'snapshot', 30_000)));
		const heapBefore = await metric(p.url, 'mcu_process_nodejs_heap_size_used_bytes');

		const sent: string[] = [];
		const started = Date.now();
		for (let tick = 0; tick < SECONDS * RATE; tick++) {
			const x = incident();
			const res = await fetch(`${p.url}/api/v1/incidents`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: `Bearer ${p.tokens.ingest}` },
				body: JSON.stringify(x)
			});
			expect(res.status).toBe(202);
			await res.arrayBuffer();
			sent.push(x.id);
			const due = started + ((tick + 1) * 1000) / RATE;
			if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
		}
		await until(() => received.every((seen) => seen.size === sent.length), 30_000, 'every delivery');
		expect(received.every((seen) => [...seen.values()].every((n) => n === 1))).toBe(true);
		expect(disconnects).toBe(0);
		const heapAfter = await metric(p.url, 'mcu_process_nodejs_heap_size_used_bytes');
		expect(heapBefore).toBeGreaterThan(0);
		expect(heapAfter - heapBefore).toBeLessThan(50 * 1024 * 1024);

		for (const s of sockets) s.close();
		await until(() => false === sockets.some((s) => s.connected), 5000, 'clients closed');
		let open = -1;
		const deadline = Date.now() + 10_000;
		while (Date.now() < deadline && open !== 0) {
			open = await metric(p.url, 'mcu_live_sockets');
			if (open !== 0) await new Promise((r) => setTimeout(r, 200));
		}
		expect(open).toBe(0);
	});
});
