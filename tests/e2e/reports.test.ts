/**
 * The report archive page in real headless Chromium against the whole product (built pages, plain http):
 * an administrator orders a past week through the form and sees it appear with its thumbnail once made
 * (the page refreshes itself); bad weeks are refused in Russian; a district token sees only its district's
 * PDF; the screenshot for the docs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { previousWeek, shiftWeek, weekOf } from '../../server/reports/week.ts';
import { weekTitle } from '../../src/lib/reports/format.ts';
import { get, startApp, type StartedApp } from '../helpers/app.ts';
import { launchBrowser, screenshotPath, seedHistory } from './wall-support.ts';

const TZ = 'Asia/Barnaul';
const OWN = 'central';

let app: StartedApp;
let browser: Browser;
let admin: { context: BrowserContext; page: Page };
const pageErrors: string[] = [];
/** The week before last: finished, and not the default the form offers (last week). */
const WEEK = shiftWeek(previousWeek(new Date(), TZ), 1, TZ).week;

async function open(token: string, viewport = { width: 1920, height: 1080 }): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport, locale: 'ru-RU', deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.on('pageerror', (e) => pageErrors.push(e.message));
	const res = await page.goto(`${app.url}/reports?token=${encodeURIComponent(token)}`);
	expect(res?.status()).toBe(200);
	return { context, page };
}

beforeAll(async () => {
	app = await startApp({ env: { MCU_REPORTS: '0' } });
	// Thirty days of history: the week before last has incidents in every district.
	const { incidents, events } = seedHistory(Date.now(), 900);
	await app.pipeline.submitIncidents(incidents, { publish: false });
	await app.pipeline.submitEvents(events, { publish: false });
	// Acknowledged means durable in the ingest log; the store has it once the log is written.
	await app.pipeline.drain();
	browser = await launchBrowser();
	admin = await open(app.tokens.admin);
});

afterAll(async () => {
	await browser?.close();
	await app?.stop();
});

describe('the report archive page', () => {
	it('offers an administrator the finished weeks, newest first, and refuses a week that is not over, in Russian', async () => {
		const { page } = admin;
		expect(await page.textContent('h1')).toBe('Еженедельные отчёты');
		expect(await page.textContent('[data-empty]')).toContain('Отчётов пока нет');
		const select = 'form.request select[name="week"]';
		const options = await page.$$eval(`${select} option`, (els) => els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent ?? '' })));
		expect(await page.$eval(select, (el) => (el as HTMLSelectElement).value)).toBe(previousWeek(new Date(), TZ).week);
		expect(options).toHaveLength(52);
		expect(options[1]!.value).toBe(WEEK);
		expect(options[0]!.text).toMatch(/^\d+-я неделя \d{4} · \d+(–| [а-я]+ – )\d+ [а-я]+ \d{4}$/);

		// This week has not ended: the form does not offer it, and the server refuses it when sent anyway.
		const now = weekOf(new Date(), TZ).week;
		expect(options.map((o) => o.value)).not.toContain(now);
		await page.$eval(select, (el, week) => {
			const s = el as HTMLSelectElement;
			s.options[0]!.value = week;
			s.selectedIndex = 0;
		}, now);
		await page.click('form.request button[type="submit"]');
		await page.waitForSelector('form.request [data-form-error]');
		expect(await page.textContent('form.request [data-form-error]')).toMatch(/ещё не закончилась/);
		expect(await page.textContent('[data-empty]')).toContain('Отчётов пока нет');
	});

	it('lets an administrator order a past week through the form and shows it with its thumbnail once made', async () => {
		const { page } = admin;
		await page.selectOption('form.request select[name="week"]', WEEK);
		await page.click('form.request button[type="submit"]');
		await page.waitForSelector('form.request [data-form-ok]');
		expect(await page.textContent('form.request [data-form-ok]')).toContain(weekTitle(WEEK).replace('-я неделя', '-ю неделю'));
		// The entry appears at once, queued or being made, then the page refreshes itself until it is done.
		await page.waitForSelector(`[data-report][data-week="${WEEK}"]`);
		await page.waitForSelector(`[data-report][data-week="${WEEK}"][data-status="done"]`, { timeout: 150_000 });
		const made = (await get(`${app.url}/api/v1/reports`, app.tokens.admin)).body.items[0];
		console.log(`report ${WEEK} made through the page: ${made.duration_ms} ms, ${made.pages} pages`);
		const thumb = await page.waitForFunction(
			(week) => {
				const img = document.querySelector(`[data-report][data-week="${week}"] img`) as HTMLImageElement | null;
				return img && img.complete && img.naturalWidth > 0 ? { w: img.naturalWidth, h: img.naturalHeight, src: img.getAttribute('src') } : null;
			},
			WEEK,
			{ timeout: 30_000 }
		);
		const t = (await thumb.jsonValue())!;
		expect(t.w).toBeGreaterThan(1000);
		expect(t.w / t.h).toBeCloseTo(1123 / 794, 1);
		const item = `[data-report][data-week="${WEEK}"]`;
		expect(await page.textContent(`${item} .title`)).toContain(weekTitle(WEEK));
		expect(await page.textContent(`${item} .status`)).toBe('готов');
		// The links are the API's files, readable with the page's cookie.
		const pdf = await page.getAttribute(`${item} a[data-file="pdf"]`, 'href');
		const res = await admin.context.request.get(`${app.url}${pdf}`);
		expect(res.status()).toBe(200);
		expect(res.headers()['content-type']).toBe('application/pdf');
		expect((await res.body()).subarray(0, 5).toString()).toBe('%PDF-');
		// The API agrees: one finished report of that week.
		const api = (await get(`${app.url}/api/v1/reports`, app.tokens.admin)).body as { items: { week: string; status: string }[] };
		expect(api.items.filter((m) => m.week === WEEK && m.status === 'done')).toHaveLength(1);
		expect(pageErrors).toEqual([]);
	}, 180_000);

	it('shows a district token only its district PDF, without the city overview or the form', async () => {
		const district = await open(app.tokens.districts[OWN]!);
		const { page, context } = district;
		expect(await page.textContent('h1')).toBe('Еженедельные отчёты · Центральный район');
		expect(await page.$('form.request')).toBeNull();
		const item = `[data-report][data-week="${WEEK}"]`;
		await page.waitForSelector(item);
		expect(await page.$$eval(`${item} img, ${item} a[data-file="png"]`, (els) => els.length)).toBe(0);
		expect(await page.$$eval('a[href*="overview.png"]', (els) => els.length)).toBe(0);
		const href = await page.getAttribute(`${item} a[data-file="pdf"]`, 'href');
		const pdf = await context.request.get(`${app.url}${href}`);
		expect(pdf.status()).toBe(200);
		const body = await pdf.body();
		expect(body.subarray(0, 5).toString()).toBe('%PDF-');
		// Its own page only: one page, smaller than the whole report.
		expect((body.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length).toBe(1);
		const png = await context.request.get(`${app.url}/api/v1/reports/${href!.split('/')[4]}/overview.png`);
		expect(png.status()).toBe(403);
		await context.close();
	});

	it('fits 1920×1080 and 768×1024 without sideways scrolling; saves the screenshot', async () => {
		const { page } = admin;
		for (const size of [{ width: 768, height: 1024 }, { width: 1920, height: 1080 }]) {
			await page.setViewportSize(size);
			const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			expect({ size, sideways }).toEqual({ size, sideways: 0 });
		}
		await page.screenshot({ path: screenshotPath('reports-1920x1080.png') });
	});
});
