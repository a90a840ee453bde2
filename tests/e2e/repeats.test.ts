/**
 * Root causes on the screens, in real headless Chromium against the whole product (built pages): the wall
 * scene «Повторные обращения» and the district tablet's repeat block, with one building complained about
 * five times (in three spellings) and answered in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { launchBrowser, screenshotPath } from './wall-support.ts';

let app: StartedApp;
let browser: Browser;
let page: Page;
const run = `e2e${process.pid}`;
const day = 86_400_000;
const spellings = ['ул. Попова, 104а', 'Попова улица 104 А', 'г. Барнаул, ул. Попова, д. 104а'];

beforeAll(async () => {
	app = await startApp({ env: { MCU_REPORTS: '0' } });
	const now = Date.now();
	const incidents = [40, 25, 12, 6, 1].map((d, i) => ({
		id: `${run}-${i}`, source: 'vk', category: 'heating', district: 'industrialny', created_at: new Date(now - d * day).toISOString(),
		lat: 53.3444 + i * 0.00001, lon: 83.6667, address: spellings[i % 3], text: `<b>Снова</b> нет отопления (${i})`
	}));
	expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, incidents)).status).toBe(202);
	const answers = incidents.slice(0, 4).map((x) => ({ incident_id: x.id, type: 'responded', at: new Date(Date.parse(x.created_at) + 3_600_000).toISOString(), executor: 'УК «Дом» <script>' }));
	expect((await post(`${app.url}/api/v1/events`, app.tokens.ingest, answers)).status).toBe(202);
	browser = await launchBrowser();
	page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

describe('root causes on screen', () => {
	it('the wall scene ranks the chronic place, shows it on the map and the repeat share', async () => {
		await page.goto(`${app.url}/wall?token=${app.tokens.wall}&scenes=repeats`);
		await page.waitForSelector('.wall[data-ready][data-scene-name="repeats"]', { timeout: 30_000 });
		await page.waitForSelector('[data-repeats-scene]:not([data-places-loaded="0"])', { timeout: 30_000 });
		const first = page.locator('[data-repeats-scene] li[data-place]').first();
		expect(await first.getAttribute('data-place')).toBe('a:попова|104а');
		expect(await first.textContent()).toContain('5 обращений');
		// the executor's text from the source is shown as text, never run as markup
		expect(await first.textContent()).toContain('УК «Дом» <script>');
		expect(await page.locator('[data-repeats-scene] svg circle').count()).toBeGreaterThan(0);
		// the last 30 days hold the incidents of 25, 12, 6 and 1 days ago: each repeats the one before
		expect(await page.textContent('[data-repeat-share]')).toMatch(/100\s?%/);
		expect(await page.isVisible('.charts')).toBe(false);
		await page.screenshot({ path: screenshotPath('wall-repeats-1920x1080.png') });
	});

	it('the tablet shows the district share beside the city and its own places', async () => {
		await page.setViewportSize({ width: 1024, height: 768 });
		await page.goto(`${app.url}/district/industrialny?token=${app.tokens.districts.industrialny}`);
		await page.waitForSelector('[data-district-repeats="ready"]', { timeout: 30_000 });
		expect(await page.textContent('[data-district-repeats] [data-repeat-share]')).toMatch(/100\s?%/);
		expect(await page.textContent('[data-district-repeats] [data-city-repeat-share]')).toMatch(/100\s?%/);
		expect(await page.locator('[data-district-repeats] li[data-place]').count()).toBe(1);
		expect(await page.locator('[data-repeat]').count()).toBeGreaterThan(0);
	});
});
