/**
 * Holes an anonymous caller or a careless edit could open: metric series created per unknown path, an open
 * `/metrics` when it should be closed, a typo in the tokens file revoking everyone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post, startApp, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';

const METRICS_TOKEN = 'metrics-secret-0123456789';
let app: StartedApp;

beforeAll(async () => {
	app = await startApp({ pages: false, env: { MCU_METRICS_TOKEN: METRICS_TOKEN } });
});
afterAll(async () => {
	await app?.stop();
});

async function metricsText(): Promise<string> {
	const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
	expect(res.status).toBe(200);
	return res.text();
}

/** Lines of the metric families a request can touch; process gauges move on their own. */
const requestSeries = (text: string) => text.split('\n').filter((l) => l.startsWith('mcu_ingest_requests_total'));

describe('metric labels are bounded', () => {
	it('1 000 anonymous POSTs to random paths under /api/ add no series', async () => {
		// One refused request of each kind first, so the series it legitimately creates exist before counting.
		await post(`${app.url}/api/v1/no-such-route`, null, {});
		const before = requestSeries(await metricsText());
		for (let i = 0; i < 1000; i += 50) {
			await Promise.all(
				Array.from({ length: 50 }, (_, k) => post(`${app.url}/api/${Math.random().toString(36).slice(2)}/${i + k}`, null, { x: i + k }))
			);
		}
		const after = requestSeries(await metricsText());
		expect(after.length).toBe(before.length);
		expect(after.every((l) => !/route="\/api\/[a-z0-9]{6,}/.test(l))).toBe(true);
	});

	it('labels a refused request by its route, not by its path', async () => {
		await post(`${app.url}/api/v1/incidents`, null, incident());
		expect(requestSeries(await metricsText()).some((l) => l.includes('route="/api/v1/incidents",status="401"'))).toBe(true);
	});
});

describe('MCU_METRICS_TOKEN', () => {
	it('closes /metrics to callers without it', async () => {
		expect((await get(`${app.url}/metrics`, null)).status).toBe(401);
		expect((await get(`${app.url}/metrics`, 'wrong-token-0123456789')).status).toBe(401);
		expect((await get(`${app.url}/metrics`, app.tokens.admin)).status).toBe(401);
		expect(await metricsText()).toContain('mcu_ingest_requests_total');
	});
});

describe('a tokens file that fails to parse', () => {
	it('keeps the last good tokens, says why in /readyz, and takes the next good edit', async () => {
		const file = path.join(app.dataDir, 'tokens.json');
		const good = fs.readFileSync(file, 'utf8');
		const wall = app.tokens.wall;
		expect((await get(`${app.url}/readyz`, null)).body.tokens).toBe('ok');

		fs.writeFileSync(file, good.replace(/\}\s*$/, ',}')); // a trailing comma: not JSON
		await bumpAndWait(file);
		expect((await get(`${app.url}/api/v1/snapshot`, wall)).status).toBe(200);
		const ready = await get(`${app.url}/readyz`, null);
		expect(ready.body.tokens.error).toMatch(/not JSON/);

		fs.writeFileSync(file, JSON.stringify({ short: 'admin' }));
		await bumpAndWait(file);
		expect((await get(`${app.url}/readyz`, null)).body.tokens.error).toMatch(/at least 16 characters/);
		expect((await get(`${app.url}/api/v1/snapshot`, wall)).status).toBe(200);

		// A good edit that revokes the wall token is taken at once.
		const kept = Object.fromEntries(Object.entries(JSON.parse(good) as Record<string, string>).filter(([t]) => t !== wall));
		fs.writeFileSync(file, JSON.stringify(kept));
		await bumpAndWait(file);
		expect((await get(`${app.url}/api/v1/snapshot`, wall)).status).toBe(401);
		expect((await get(`${app.url}/readyz`, null)).body.tokens).toBe('ok');
	});
});

/** The store re-checks the file at most once a second: give it a new mtime and let that second pass. */
async function bumpAndWait(file: string): Promise<void> {
	const t = new Date(Date.now() + Math.round(Math.random() * 10_000));
	fs.utimesSync(file, t, t);
	await new Promise((r) => setTimeout(r, 1100));
}
