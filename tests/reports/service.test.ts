/**
 * The report service without a browser: a missing Chromium fails the report with a clear message
 * and nothing else; the schedule makes a missed run at start, once per week; one job per week queued.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/client.ts';
import type { Config } from '../../server/config.ts';
import { ReportService } from '../../server/reports/service.ts';
import { ChromiumMissingError, findChromium } from '../../server/reports/render.ts';
import { freshStore, insertIncidents, testCity } from './fixture.ts';

let store: Store;
let config: Config;
let dir: string;
const MONDAY_0900 = new Date('2025-01-06T02:00:00Z'); // Monday 09:00 in Barnaul, after the 08:00 run

function service(now = MONDAY_0900): ReportService {
	return new ReportService({ store, city: testCity, config, baseUrl: () => 'http://127.0.0.1:9', now: () => now, log: () => undefined });
}

beforeAll(async () => {
	({ store, config, dir } = await freshStore({ CHROMIUM_PATH: '/nonexistent' }));
	await insertIncidents(store, [{ id: 'x1', district: 'central', created_at: '2025-01-02T03:00:00Z', deadline_at: '2025-01-02T11:00:00Z' }]);
});

afterAll(async () => {
	await store.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('without a browser', () => {
	it('findChromium names the Debian package to install', () => {
		expect(() => findChromium('/nonexistent')).toThrow(ChromiumMissingError);
		expect(() => findChromium('/nonexistent')).toThrow(/Debian package "chromium".*apt-get install -y chromium/);
	});

	it('a requested report fails with that message; the archive keeps working', async () => {
		const svc = service();
		const id = svc.request('2025-W01');
		await svc.idle();
		const meta = svc.get(id)!;
		expect(meta.status).toBe('failed');
		expect(meta.error).toMatch(/No Chromium to render reports \(tried \/nonexistent\).*"chromium"/);
		expect(svc.list({ district: null }).map((m) => m.id)).toContain(id);
		expect(svc.filePath(id, 'report.pdf', { district: null })).toBeNull();
		expect(svc.list({ district: 'central' })).toEqual([]); // a district sees finished reports only
	});
});

describe('the schedule and the queue', () => {
	it('a run missed while down is made at start, for the week before, once per week', async () => {
		const svc = service();
		svc.start({ missedRunDelayMs: 0 });
		await new Promise((resolve) => setTimeout(resolve, 20));
		await svc.idle();
		const scheduled = svc.list({ district: null }).filter((m) => m.trigger === 'schedule');
		expect(scheduled.map((m) => m.week)).toEqual(['2025-W01']);
		await svc.stop();

		// Mark it made: a second start (another process) must not make the week again.
		svc.archive.writeMeta({ ...scheduled[0]!, status: 'done', error: null });
		const again = service();
		again.start({ missedRunDelayMs: 0 });
		await new Promise((resolve) => setTimeout(resolve, 20));
		await again.idle();
		await again.stop();
		expect(again.list({ district: null }).filter((m) => m.trigger === 'schedule')).toHaveLength(1);
	});

	it('asking for a week already queued returns the same report; unfinished weeks are refused', async () => {
		const svc = service();
		const a = svc.request('2024-W52');
		const b = svc.request('2024-W52');
		expect(b).toBe(a);
		await svc.idle();
		expect(() => svc.request('2025-W02')).toThrow(/has not ended/);
		expect(() => svc.request('2025-W2')).toThrow(/not an ISO week/);
	});

	it('jobs left queued by a stopped process are marked interrupted at the next start', () => {
		const svc = service();
		const meta = { ...svc.list({ district: null })[0]!, id: '2024-W40-zzzz1', week: '2024-W40', status: 'running' as const };
		svc.archive.writeMeta(meta);
		const next = service();
		expect(next.get('2024-W40-zzzz1')).toMatchObject({ status: 'failed', error: 'Interrupted by a restart' });
	});
});
