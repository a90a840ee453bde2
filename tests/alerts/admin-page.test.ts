/**
 * /admin with outbound alerts: the log (each alert, its deliveries and outcome), the contact points with
 * «Проверить» (a real form POST that sends a test through a real webhook receiver), and a refused edit of
 * the alerts file shown on the page. Needs the built pages (`vite build`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startApp, tempDir, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { startWebhookReceiver, type WebhookReceiver } from './support/receivers.ts';

const SECRET = 'admin-page-webhook-secret';
let app: StartedApp;
let hook: WebhookReceiver;
let alertsFile: string;

const page = async (token: string) => {
	const res = await fetch(`${app.url}/admin`, { headers: { cookie: `mcu_token=${encodeURIComponent(token)}` } });
	return { status: res.status, html: await res.text() };
};

beforeAll(async () => {
	hook = await startWebhookReceiver(SECRET);
	const dataDir = tempDir();
	alertsFile = path.join(dataDir, 'alerts.json');
	fs.writeFileSync(alertsFile, JSON.stringify({ contacts: { gis: { type: 'webhook', url: hook.url, secret: SECRET } }, routes: [{ match: { min_severity: 4 }, contacts: ['gis'] }] }));
	app = await startApp({ dataDir, pages: true, env: { MCU_ALERTS_FILE: alertsFile } });
}, 120_000);

afterAll(async () => {
	await app?.stop();
	await hook?.close();
});

describe('/admin alert log', () => {
	it('lists each alert with its delivery and outcome, and a «Проверить» per contact', async () => {
		const x = incident({ severity: 5, district: 'leninsky', address: 'пр. Ленина, 1' });
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [x])).status).toBe(202);
		for (let i = 0; i < 100 && hook.received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
		const { status, html } = await page(app.tokens.admin);
		expect(status).toBe(200);
		expect(html).toContain('Оповещения');
		expect(html).toMatch(/data-contact="gis"[\s\S]*?Проверить/);
		expect(html).toMatch(/Срочное обращение: пр\. Ленина, 1/);
		expect(html).toMatch(/gis: 1, доставлено/);
		expect(html).not.toContain(SECRET);
	});

	it('sends a test through the form and shows the outcome', async () => {
		const before = hook.received.length;
		const res = await fetch(`${app.url}/admin?/test`, {
			method: 'POST',
			headers: { cookie: `mcu_token=${encodeURIComponent(app.tokens.admin)}`, origin: app.url, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
			body: 'contact=gis'
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toMatch(/тестовое сообщение доставлено/);
		expect(hook.received.slice(before).map((h) => [h.body.kind, h.signatureOk])).toEqual([['test', true]]);
		// Only the admin may.
		const wall = await fetch(`${app.url}/admin?/test`, {
			method: 'POST',
			headers: { cookie: `mcu_token=${encodeURIComponent(app.tokens.wall)}`, origin: app.url, 'content-type': 'application/x-www-form-urlencoded' },
			body: 'contact=gis'
		});
		expect(wall.status).toBe(403);
		expect(hook.received.length).toBe(before + 1);
	});

	it('shows a refused edit of the alerts file while the last good one stays', async () => {
		fs.writeFileSync(alertsFile, '{"contacts": {"gis": ');
		let html = '';
		for (let i = 0; i < 60 && !html.includes('data-file-error'); i++) {
			await new Promise((r) => setTimeout(r, 100));
			html = (await page(app.tokens.admin)).html;
		}
		expect(html).toMatch(/Правка файла отклонена[\s\S]*not valid JSON/);
		expect(html).toContain('data-contact="gis"');
	});
});
