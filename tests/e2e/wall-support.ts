/** Browser and data helpers for the wall's end-to-end tests (real Chromium through playwright-core). */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import { DISTRICT_POINTS } from '../helpers/incidents.ts';
import { PROJECT_ROOT } from '../helpers/app.ts';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/** A small deterministic generator: the same seed gives the same city. */
function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

const CATEGORIES = ['heating', 'water', 'housing', 'roads', 'snow', 'yard', 'lighting', 'waste', 'transport'];
const SOURCES = ['vk', 'ok', 'telegram', 'feedback_platform', 'forum', 'media', 'phone'] as const;
const TEXTS = ['Нет горячей воды второй день', 'Во дворе не убран снег, не пройти', 'Яма на дороге у остановки', 'Не горят фонари вдоль улицы', 'Мусор не вывозят неделю', 'В квартире холодно, батареи еле тёплые', 'Автобус не приходит по расписанию'];

/** History for 30 days (charts, KPIs) plus a heating burst near ул. Попова in the last hours (a hotspot). */
export function seedHistory(now: number, count: number, seed = 7): { incidents: IncidentInput[]; events: StatusEventInput[] } {
	const r = rng(seed);
	const districts = Object.keys(DISTRICT_POINTS);
	const incidents: IncidentInput[] = [];
	const events: StatusEventInput[] = [];
	for (let i = 0; i < count; i++) {
		// Denser towards now: the last 48 h get a good share.
		const ageMs = r() < 0.35 ? r() * 48 * 3_600_000 : r() * 30 * 86_400_000;
		const created = now - ageMs - 60_000;
		const d = districts[Math.floor(r() * districts.length)]!;
		const p = DISTRICT_POINTS[d]!;
		const id = `seed-${seed}-${i}`;
		incidents.push({
			id,
			source: SOURCES[Math.floor(r() * SOURCES.length)]!,
			created_at: new Date(created).toISOString(),
			category: CATEGORIES[Math.floor(r() * CATEGORIES.length)]!,
			lat: p.lat + (r() - 0.5) * 0.02,
			lon: p.lon + (r() - 0.5) * 0.03,
			address: `ул. Тестовая, ${1 + Math.floor(r() * 200)}`,
			text: TEXTS[Math.floor(r() * TEXTS.length)]!,
			severity: 1 + Math.floor(r() * 5)
		});
		const responseMin = Math.exp(3.5 + r() * 2.5);
		if (r() < 0.8 && created + responseMin * 60_000 < now) {
			events.push({ incident_id: id, type: 'responded', at: new Date(created + responseMin * 60_000).toISOString(), executor: 'Комитет ЖКХ' });
		}
	}
	const popova = DISTRICT_POINTS.industrialny!;
	for (let i = 0; i < 9; i++) {
		incidents.push({
			id: `seed-${seed}-burst-${i}`,
			source: 'vk',
			created_at: new Date(now - (170 - i * 18) * 60_000).toISOString(),
			category: 'heating',
			lat: popova.lat + i * 0.0002,
			lon: popova.lon + i * 0.0002,
			address: `ул. Попова, ${100 + i * 2}`,
			text: 'Нет отопления в доме, батареи холодные',
			severity: 3
		});
	}
	return { incidents, events };
}

export async function metrics(cdp: CDPSession): Promise<{ nodes: number; heapMb: number }> {
	await cdp.send('HeapProfiler.collectGarbage');
	const { metrics: m } = await cdp.send('Performance.getMetrics');
	const get = (name: string) => m.find((x) => x.name === name)?.value ?? Number.NaN;
	return { nodes: get('Nodes'), heapMb: Math.round((get('JSHeapUsedSize') / 1048576) * 10) / 10 };
}

/** Gzipped size of every script the page loaded from the build (dynamic chunks included). */
export async function scriptBytes(page: Page): Promise<{ files: number; raw: number; gzip: number }> {
	const urls = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
	let raw = 0, gzip = 0, files = 0;
	for (const u of new Set(urls)) {
		const file = path.join(PROJECT_ROOT, 'build', 'client', new URL(u).pathname);
		if (!fs.existsSync(file)) continue;
		const buf = fs.readFileSync(file);
		raw += buf.length;
		gzip += zlib.gzipSync(buf, { level: 9 }).length;
		files++;
	}
	return { files, raw, gzip };
}

export async function feedIds(page: Page): Promise<string[]> {
	return page.$$eval('.feed li[data-id]', (els) => els.map((e) => e.getAttribute('data-id') ?? ''));
}

export function screenshotPath(name: string): string {
	const dir = path.join(PROJECT_ROOT, 'docs', 'screenshots');
	fs.mkdirSync(dir, { recursive: true });
	return path.join(dir, name);
}
