/**
 * A whole report made by the running product: numbers from the store, pages rendered by the real
 * headless Chromium, files served by the API with each token's scope. Needs `vite build` first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractText, getDocumentProxy } from 'unpdf';
import { get, post, startApp, type StartedApp } from '../helpers/app.ts';
import type { ReportMeta } from '../../src/lib/contract/reports.ts';
import { TOKEN_COOKIE } from '../../src/lib/server/sign-in.ts';
import { seedKnownWeek, WEEK } from './report-fixture.ts';

let app: StartedApp;
let first: ReportMeta;

async function waitDone(id: string): Promise<ReportMeta> {
	// Polls the archive list; gives up after 100 s so a hung render fails with the last state seen.
	let meta: ReportMeta | undefined;
	for (let i = 0; i < 1000; i++) {
		const r = await get(`${app.url}/api/v1/reports`, app.tokens.admin);
		meta = (r.body.items as ReportMeta[]).find((m) => m.id === id);
		if (meta?.status === 'done' || meta?.status === 'failed') return meta;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`report ${id} not finished: ${JSON.stringify(meta)}`);
}

async function download(id: string, file: string, token: string): Promise<{ status: number; bytes: Buffer }> {
	const res = await fetch(`${app.url}/api/v1/reports/${id}/${file}`, { headers: { authorization: `Bearer ${token}` } });
	return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function pdfText(bytes: Buffer): Promise<{ pages: number; text: string }> {
	const doc = await getDocumentProxy(new Uint8Array(bytes));
	const { totalPages, text } = await extractText(doc, { mergePages: true });
	// Russian number formatting uses no-break and thin spaces: compare with plain ones.
	return { pages: totalPages, text: text.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\s+/g, ' ') };
}

function pngSize(bytes: Buffer): { width: number; height: number } {
	expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
	return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

beforeAll(async () => {
	app = await startApp({ env: { MCU_REPORTS: '0' } });
	await seedKnownWeek(app.store, app.app.services.city);
	const res = await post(`${app.url}/api/v1/reports`, app.tokens.admin, { week: WEEK });
	expect(res.status).toBe(202);
	first = await waitDone(res.body.id);
	console.log(`report ${WEEK}: ${first.duration_ms} ms, ${first.pages} pages, sizes ${JSON.stringify(first.sizes)}`);
});

afterAll(async () => {
	await app?.stop();
});

describe('a rendered weekly report', () => {
	it('is archived with its metadata: 1 city page + 5 district pages', () => {
		expect(first.error).toBeNull();
		expect(first.status).toBe('done');
		expect(first.week).toBe(WEEK);
		expect(first.pages).toBe(6);
		expect(first.duration_ms).toBeGreaterThan(0);
		const meta = JSON.parse(fs.readFileSync(path.join(app.dataDir, 'reports', first.id, 'meta.json'), 'utf8'));
		expect(meta).toMatchObject({ id: first.id, status: 'done', pages: 6 });
		expect(Object.keys(first.sizes).sort()).toEqual(
			['overview.png', 'report.pdf', ...app.app.services.city.districts.map((d) => `district-${d.code}.pdf`)].sort()
		);
	});

	it('report.pdf has six pages with the known figures and every district name', async () => {
		const pdf = await download(first.id, 'report.pdf', app.tokens.admin);
		expect(pdf.status).toBe(200);
		const { pages, text } = await pdfText(pdf.bytes);
		expect(pages).toBe(6);
		expect(text).toContain('Барнаул: весь город');
		expect(text).toContain('10-я неделя 2024');
		expect(text).toContain('4–10 марта 2024');
		expect(text).toContain('+200 % к прошлой неделе (10)'); // 30 against 10
		expect(text).toContain('15 из 30 со сроком на неделе');
		expect(text).toContain('30 мин'); // first-response median
		expect(text).toContain('50 %'); // answered in time
		for (const d of app.app.services.city.districts) expect(text).toContain(`${d.name} район`);
		expect(text).toContain('ул. Попова, 104'); // the hot cell's place
	});

	it('overview.png is the city page at 2× scale (A4 landscape at 96 dpi)', async () => {
		const png = await download(first.id, 'overview.png', app.tokens.admin);
		expect(png.status).toBe(200);
		expect(pngSize(png.bytes)).toEqual({ width: 2246, height: 1588 });
	});

	it('a district token gets its own district page only', async () => {
		const [code, token] = Object.entries(app.tokens.districts)[0]!;
		const name = app.app.services.city.districts.find((d) => d.code === code)!.name;
		const list = await get(`${app.url}/api/v1/reports`, token);
		expect(list.status).toBe(200);
		expect(list.body.items.map((m: ReportMeta) => [m.id, Object.keys(m.sizes)])).toEqual([[first.id, ['report.pdf']]]);
		const pdf = await download(first.id, 'report.pdf', token);
		expect(pdf.status).toBe(200);
		const { pages, text } = await pdfText(pdf.bytes);
		expect(pages).toBe(1);
		expect(text).toContain(`${name} район`);
		for (const other of app.app.services.city.districts.filter((d) => d.code !== code)) expect(text).not.toContain(other.name);
		expect((await download(first.id, 'overview.png', token)).status).toBe(403);
	});

	it('refuses bad requests with the error envelope', async () => {
		const wall = await post(`${app.url}/api/v1/reports`, app.tokens.wall, { week: WEEK });
		expect(wall.status).toBe(403);
		expect(wall.body.error.code).toBe('forbidden');
		const bad = await post(`${app.url}/api/v1/reports`, app.tokens.admin, { week: '2024-W54' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.code).toBe('invalid');
		const future = await post(`${app.url}/api/v1/reports`, app.tokens.admin, { week: '2999-W01' });
		expect(future.status).toBe(409);
		expect((await get(`${app.url}/api/v1/reports`, null)).status).toBe(401);
		const missing = await download('2024-W10-nope0', 'report.pdf', app.tokens.admin);
		expect(missing.status).toBe(404);
	});

	it('print pages open only with a live ticket or a reader token of that scope', async () => {
		expect((await fetch(`${app.url}/print/${first.id}?only=city`)).status).toBe(401);
		expect((await fetch(`${app.url}/print/${first.id}?only=city&exp=99999999999999&sig=AAAA`)).status).toBe(401);
		const [code, token] = Object.entries(app.tokens.districts)[0]!;
		const other = app.app.services.city.districts.find((d) => d.code !== code)!.code;
		const cookie = { headers: { cookie: `${TOKEN_COOKIE}=${token}` } };
		expect((await fetch(`${app.url}/print/${first.id}?only=${other}`, cookie)).status).toBe(403);
		expect((await fetch(`${app.url}/print/${first.id}?only=${code}`, cookie)).status).toBe(200);
	});

	it('made again for the same week, gives the same numbers and the same text', async () => {
		const res = await post(`${app.url}/api/v1/reports`, app.tokens.admin, { week: WEEK });
		expect(res.status).toBe(202);
		expect(res.body.id).not.toBe(first.id);
		const second = await waitDone(res.body.id);
		expect(second.status).toBe('done');
		const data = (id: string) => JSON.parse(fs.readFileSync(path.join(app.dataDir, 'reports', id, 'data.json'), 'utf8'));
		expect(data(second.id)).toEqual(data(first.id));
		const a = await pdfText((await download(first.id, 'report.pdf', app.tokens.admin)).bytes);
		const b = await pdfText((await download(second.id, 'report.pdf', app.tokens.admin)).bytes);
		expect(b.text).toBe(a.text);
		const list = await get(`${app.url}/api/v1/reports`, app.tokens.admin);
		expect(list.body.items.map((m: ReportMeta) => m.id).sort()).toEqual([first.id, second.id].sort());
	});
});
