/**
 * Two processes behind one balancer share one authority on duplicates (Redis `SET NX`): a batch accepted by
 * one is answered as duplicates by the other, at once and after the other restarted, so the `duplicates`
 * of the answer stays exact whichever process a source reaches. Each process has its own store here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startAppProcess, tempDir, type AppProcess } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { startRedis, type RedisProcess } from './redis-server.ts';

let redis: RedisProcess;
let a: AppProcess;
let b: AppProcess;
let env: Record<string, string>;
const dirB = tempDir();

beforeAll(async () => {
	redis = await startRedis();
	env = { REDIS_URL: redis.url, MCU_REPORTS: '0', MCU_INGEST_RATE_PER_MIN: '100000' };
	a = await startAppProcess({ env });
	fs.copyFileSync(path.join(a.dataDir, 'tokens.json'), path.join(dirB, 'tokens.json'));
	b = await startAppProcess({ dataDir: dirB, env });
}, 180_000);

afterAll(async () => {
	await Promise.all([a?.kill(), b?.kill()]);
	await redis?.stop();
});

describe('duplicates across processes', () => {
	it('answers a batch accepted by one process as duplicates on the other, also after a restart', async () => {
		const batch = [incident(), incident(), incident()];
		expect((await post(`${a.url}/api/v1/incidents`, a.tokens.ingest, batch)).body).toEqual({ accepted: 3, duplicates: 0 });
		expect((await post(`${b.url}/api/v1/incidents`, b.tokens.ingest, [...batch, incident()])).body).toEqual({ accepted: 1, duplicates: 3 });
		const event = { incident_id: batch[0]!.id, type: 'responded', at: new Date().toISOString() };
		expect((await post(`${b.url}/api/v1/events`, b.tokens.ingest, event)).body).toEqual({ accepted: 1, duplicates: 0 });
		expect((await post(`${a.url}/api/v1/events`, a.tokens.ingest, event)).body).toEqual({ accepted: 0, duplicates: 1 });
		await b.kill('SIGTERM');
		b = await startAppProcess({ dataDir: dirB, env });
		expect((await post(`${b.url}/api/v1/incidents`, b.tokens.ingest, batch)).body).toEqual({ accepted: 0, duplicates: 3 });
	}, 120_000);
});
