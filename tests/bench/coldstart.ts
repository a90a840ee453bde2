/**
 * Cold start of the wall: the first page view right after a start, timed in real Chromium from the
 * navigation (the user's clock) to the first render with data (the page's `wall:first-data` mark), on a
 * store holding a year of simulated Barnaul (the demo's backfill). Two starts: the first after the
 * backfill's process stopped (engine caches cold), then a second one. Also the gzipped JavaScript the wall
 * loaded (budget 350 KB). Needs a build (`vite build`).
 */
import fs from 'node:fs';
import { startAppProcess, tempDir, type AppProcess } from '../helpers/app.ts';
import { launchBrowser, scriptBytes } from '../e2e/wall-support.ts';
import { printTable, round, sleep } from './lib/report.ts';

export const title = 'Cold start: first wall render with data after a start (target ≤ 1.5 s), wall JS gzipped (≤ 350 KB)';

const ENV = { MCU_REPORTS: '0', MCU_LOG_LEVEL: 'info' };

async function backfilled(proc: AppProcess): Promise<void> {
	for (let i = 0; i < 600 && !/Demo: (backfilled|streaming)/.test(proc.output()); i++) await sleep(500);
}

export async function run(): Promise<Record<string, unknown>> {
	const dataDir = tempDir('mcu-bench-cold-');
	const browser = await launchBrowser();
	const starts: Record<string, unknown>[] = [];
	let js: { files: number; raw: number; gzip: number } | null = null;
	try {
		// A newcomer's first start: a year of history backfilled into an empty store.
		const first = await startAppProcess({ dataDir, env: { ...ENV, MCU_DEMO: '1' } });
		await backfilled(first);
		await first.kill('SIGTERM');
		for (let round_ = 1; round_ <= 2; round_++) {
			const t0 = Date.now();
			const proc = await startAppProcess({ dataDir, env: { ...ENV, MCU_DEMO: '1' } });
			const startS = (Date.now() - t0) / 1000;
			try {
				const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
				const nav = Date.now();
				await page.goto(`${proc.url}/wall?token=${proc.tokens.wall}`);
				await page.waitForSelector('.wall[data-ready]', { timeout: 60_000 });
				const outsideMs = Date.now() - nav;
				const markMs = await page.evaluate(() => Math.round(performance.getEntriesByName('wall:first-data')[0]?.startTime ?? -1));
				js ??= await scriptBytes(page);
				starts.push({ start: round_, 'process start → listening s': round(startS, 1), 'first data (page mark) ms': markMs, 'goto → data-ready ms': outsideMs });
				await page.close();
			} finally {
				await proc.kill('SIGTERM');
			}
		}
	} finally {
		await browser.close();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
	printTable(title, starts);
	const firstMs = Number(starts[0]?.['first data (page mark) ms'] ?? -1);
	const gzipKb = js ? round(js.gzip / 1024, 1) : null;
	printTable('Wall JavaScript', [{ files: js?.files, 'raw KB': js ? round(js.raw / 1024, 1) : null, 'gzip KB': gzipKb }]);
	return {
		starts,
		first_view_after_start_ms: firstMs,
		target_ms: 1500,
		met: firstMs >= 0 && firstMs <= 1500,
		wall_js_gzip_kb: gzipKb,
		wall_js_files: js?.files ?? null,
		js_budget_met: gzipKb !== null && gzipKb <= 350
	};
}
