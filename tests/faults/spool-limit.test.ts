/** The spool's size limit (`MCU_SPOOL_MAX_BYTES`) reached while the store is down: 503, then recovery. */
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, type StartedApp } from '../helpers/app.ts';
import { spoolFullScenario } from './spool-full.ts';

let app: StartedApp | null = null;
afterAll(async () => {
	await app?.stop();
});

describe('spool full (size limit)', () => {
	it('answers 503 once the spool is full, and accepts again after the store returns and the spool drains', async () => {
		app = await startApp({ pages: false, env: { MCU_SPOOL_MAX_BYTES: String(64 * 1024), MCU_REPORTS: '0', MCU_INGEST_RATE_PER_MIN: '100000' } });
		const r = await spoolFullScenario(app, { maxRequests: 200 });
		expect(r.refused).toBe(3);
	});
});
