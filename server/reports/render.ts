/**
 * Renders a report's print pages in headless Chromium (playwright-core, the system browser):
 * `overview.png` is the city page at 2× scale, `report.pdf` every page, `district-<code>.pdf` one
 * district each. Each capture waits for the page's readiness flag (`body[data-ready="1"]`, set once
 * the map and charts have drawn), never for a fixed time.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { districtPdfName } from './archive.ts';

/** A4 landscape in CSS pixels (297 × 210 mm at 96 px/in). */
export const PAGE_WIDTH_PX = 1123;
export const PAGE_HEIGHT_PX = 794;
export const SCREENSHOT_SCALE = 2;

const CANDIDATES = [
	'/usr/bin/chromium',
	'/usr/bin/chromium-browser',
	'/usr/bin/google-chrome',
	'/usr/bin/google-chrome-stable',
	'/snap/bin/chromium'
];

const LAUNCH_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--font-render-hinting=none'
];

export class ChromiumMissingError extends Error {
	constructor(tried: string[]) {
		super(
			`No Chromium to render reports (tried ${tried.join(', ')}). ` +
				'Install the Debian package "chromium" (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary.'
		);
		this.name = 'ChromiumMissingError';
	}
}

function isExecutable(file: string): boolean {
	try {
		fs.accessSync(file, fs.constants.X_OK);
		return fs.statSync(file).isFile();
	} catch {
		return false;
	}
}

/** The configured browser when set (no fallback: a wrong setting should be seen), else the first found. */
export function findChromium(configured: string | null): string {
	const tried = configured ? [configured] : CANDIDATES;
	const found = tried.find(isExecutable);
	if (!found) throw new ChromiumMissingError(tried);
	return found;
}

export interface RenderJob {
	executablePath: string;
	/** The print page URL for the city (`only: 'city'`), one district, or all pages (`only: null`). */
	url(only: string | null): string;
	districts: string[];
	outDir: string;
	tz: string;
	readyTimeoutMs?: number;
}

export interface RenderResult {
	pages: number;
	files: string[];
}

async function open(page: Page, url: string, timeout: number, errors: string[]): Promise<void> {
	errors.length = 0;
	const res = await page.goto(url, { waitUntil: 'load', timeout });
	if (!res || !res.ok()) throw new Error(`Print page answered ${res?.status() ?? 'nothing'} for ${new URL(url).pathname}`);
	try {
		await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout, polling: 50 });
	} catch (e) {
		const why = errors.length ? `; page errors: ${errors.join('; ')}` : '';
		throw new Error(`The print page did not become ready${why}`, { cause: e });
	}
}

/** Pages of a PDF written by Chromium: its page objects are plain, uncompressed dictionaries. */
export function countPdfPages(pdf: Buffer): number {
	return pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g)?.length ?? 0;
}

export async function renderReport(job: RenderJob): Promise<RenderResult> {
	const timeout = job.readyTimeoutMs ?? 30_000;
	let browser: Browser | null = null;
	try {
		// Loaded on the first render, not at start: the driver is large and most starts render nothing.
		const { chromium } = await import('playwright-core');
		browser = await chromium.launch({ executablePath: job.executablePath, args: LAUNCH_ARGS, timeout });
		const context = await browser.newContext({
			viewport: { width: PAGE_WIDTH_PX, height: PAGE_HEIGHT_PX },
			deviceScaleFactor: SCREENSHOT_SCALE,
			colorScheme: 'light',
			locale: 'ru-RU',
			timezoneId: job.tz
		});
		const page = await context.newPage();
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		const pdf = { format: 'A4', landscape: true, printBackground: true, preferCSSPageSize: true } as const;

		await open(page, job.url('city'), timeout, errors);
		await page.screenshot({ path: path.join(job.outDir, 'overview.png'), type: 'png' });

		await open(page, job.url(null), timeout, errors);
		const report = await page.pdf(pdf);
		fs.writeFileSync(path.join(job.outDir, 'report.pdf'), report);

		const files = ['overview.png', 'report.pdf'];
		for (const code of job.districts) {
			await open(page, job.url(code), timeout, errors);
			fs.writeFileSync(path.join(job.outDir, districtPdfName(code)), await page.pdf(pdf));
			files.push(districtPdfName(code));
		}
		return { pages: countPdfPages(report), files };
	} finally {
		await browser?.close();
	}
}
