/**
 * Two app processes share Socket.IO through Redis streams: what is ingested on one reaches the sockets of the
 * other in every scope, exactly once; a socket lost on one process recovers its missed events on the other.
 * Each process has its own data dir (chDB binds one per process); they share Redis and the tokens file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { createClient } from 'redis';
import { post, startAppProcess, tempDir, type AppProcess } from '../helpers/app.ts';
import { connectLive, nextEvent, until, type LiveSocket } from '../helpers/live.ts';
import { incident } from '../helpers/incidents.ts';
import { startRedis, type RedisProcess } from './redis-server.ts';
import type { IncidentView } from '../../src/lib/contract/incident.ts';

let redis: RedisProcess;
let a: AppProcess;
let b: AppProcess;
const sockets: LiveSocket[] = [];

beforeAll(async () => {
	redis = await startRedis();
	const env = { REDIS_URL: redis.url, MCU_REPORTS: '0', MCU_INGEST_RATE_PER_MIN: '100000' };
	a = await startAppProcess({ env });
	// The second process takes the same tokens, as processes of one deployment do.
	const dirB = tempDir();
	fs.copyFileSync(path.join(a.dataDir, 'tokens.json'), path.join(dirB, 'tokens.json'));
	b = await startAppProcess({ dataDir: dirB, env });
}, 180_000);

afterAll(async () => {
	for (const s of sockets) s.close();
	await Promise.all([a?.kill(), b?.kill()]);
	await redis?.stop();
});

/** A wall socket and one socket per district on `proc`, each counting the incidents it receives. */
async function listeners(proc: AppProcess): Promise<Map<string, IncidentView[]>> {
	const got = new Map<string, IncidentView[]>();
	const scopes: [string, string][] = [['city', proc.tokens.wall], ...Object.entries(proc.tokens.districts)];
	await Promise.all(
		scopes.map(async ([scope, token]) => {
			const s = connectLive(proc.url, token);
			sockets.push(s);
			const list: IncidentView[] = [];
			got.set(scope, list);
			s.on('incident', (i) => list.push(i));
			await nextEvent(s, 'snapshot', 30_000);
		})
	);
	return got;
}

async function crossCheck(from: AppProcess, to: AppProcess): Promise<void> {
	const here = await listeners(from);
	const there = await listeners(to);
	const codes = Object.keys(from.tokens.districts);
	// District k gets k + 1 incidents, so a scope mix-up changes the counts.
	const sent = codes.flatMap((code, k) => Array.from({ length: k + 1 }, () => incident({ district: code })));
	expect((await post(`${from.url}/api/v1/incidents`, from.tokens.ingest, sent)).status).toBe(202);
	for (const got of [there, here]) {
		await until(() => got.get('city')!.length >= sent.length && codes.every((c, k) => got.get(c)!.length >= k + 1), 20_000, 'broadcasts');
	}
	// Late duplicates would arrive within a moment: give them the chance before counting exactly.
	await new Promise((r) => setTimeout(r, 500));
	for (const got of [there, here]) {
		expect(got.get('city')!.map((i) => i.id).sort()).toEqual(sent.map((i) => i.id).sort());
		codes.forEach((code, k) => {
			expect(got.get(code)!.length).toBe(k + 1);
			expect(got.get(code)!.every((i) => i.district === code)).toBe(true);
		});
	}
}

describe('several processes with REDIS_URL', () => {
	it('delivers what is ingested on one process to every scope on the other, exactly once', async () => {
		await crossCheck(a, b);
		await crossCheck(b, a);
	});

	it('recovers a socket lost on one process when it reconnects to the other', async () => {
		const first = connectLive(a.url, a.tokens.wall);
		first.io.reconnection(false);
		sockets.push(first);
		await nextEvent(first, 'snapshot', 30_000);
		const seen = nextEvent(first, 'incident');
		await post(`${a.url}/api/v1/incidents`, a.tokens.ingest, incident());
		await seen;
		const { _pid: pid, _lastOffset: offset } = first as unknown as { _pid: string; _lastOffset: string };
		expect(pid).toMatch(/\S/);
		expect(offset).toMatch(/^\d+-\d+$/);

		// The connection drops (not a clean leave): process A keeps the session in Redis.
		first.io.engine.close();
		const r = createClient({ url: redis.url });
		await r.connect();
		try {
			const key = `mcu:live:session:${pid}`;
			const start = Date.now();
			while ((await r.exists(key)) === 0) {
				if (Date.now() - start > 10_000) throw new Error('the session was not kept in Redis');
				await new Promise((res) => setTimeout(res, 50));
			}
		} finally {
			await r.close();
		}

		// Missed while away, ingested on B.
		const missed = [incident({ district: 'central' }), incident({ district: 'leninsky' })];
		expect((await post(`${b.url}/api/v1/incidents`, b.tokens.ingest, missed)).status).toBe(202);

		const second = io(`${b.url}/live`, { auth: { token: b.tokens.wall, pid, offset }, transports: ['websocket'], forceNew: true });
		sockets.push(second as LiveSocket);
		const got: string[] = [];
		let snapshots = 0;
		second.on('incident', (i: IncidentView) => got.push(i.id));
		second.on('snapshot', () => (snapshots += 1));
		await until(() => got.length >= 2, 15_000, 'missed incidents replayed');
		// Recovered: its room is restored, so it goes on receiving live incidents, and needs no fresh snapshot.
		const later = incident({ district: 'oktyabrsky' });
		await post(`${a.url}/api/v1/incidents`, a.tokens.ingest, later);
		await until(() => got.length >= 3, 15_000, 'live incident after recovery');
		await new Promise((res) => setTimeout(res, 300));
		expect(got).toEqual([...missed.map((i) => i.id), later.id]);
		expect(snapshots).toBe(0);
	});
});
