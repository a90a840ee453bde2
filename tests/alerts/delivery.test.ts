/**
 * Outbound alerts end to end, in-process, over real protocols: a local Bot API stand-in (real HTTP), a
 * webhook receiver checking the signature, a real SMTP server. Hotspot alerts of both kinds go through
 * the same publisher hook the analytics engine uses; urgent incidents through the ingest API. The clock
 * is the app's own (`now`), moved to a working day, a public holiday and the next morning. Needs the built
 * pages (`vite build`) for the tablet's acceptance figure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { latLngToCell } from 'h3-js';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post, startApp, tempDir, type StartedApp } from '../helpers/app.ts';
import { DISTRICT_POINTS, incident } from '../helpers/incidents.ts';
import { connectLive, connected, type LiveSocket } from '../helpers/live.ts';
import { startBotApi, type BotApi } from './support/bot-api.ts';
import { startSmtp, startWebhookReceiver, type SmtpReceiver, type WebhookReceiver } from './support/receivers.ts';
import type { Hotspot } from '../../src/lib/contract/snapshot.ts';
import type { IncidentStatusMessage } from '../../src/lib/contract/events.ts';

const TOKEN = '123456:TESTTOKENabcdefghij';
const CHAT = '-1001234567890';
const SECRET = 'a-webhook-secret-of-length';
/** Thursday 5 November 2026, 12:00 in Barnaul (UTC+7). */
const THURSDAY_NOON = Date.parse('2026-11-05T05:00:00Z');

let offset = 0;
const now = () => new Date(Date.now() + offset);
const setClock = (t: number) => (offset = t - Date.now());

let bot: BotApi;
let hook: WebhookReceiver;
let smtp: SmtpReceiver;
let app: StartedApp;
let alertsFile: string;
let wall: LiveSocket;
const statuses: IncidentStatusMessage[] = [];

function file(extra: Record<string, unknown> = {}) {
	return {
		contacts: {
			brief: { type: 'telegram', bot_token: TOKEN, chat_id: CHAT },
			gis: { type: 'webhook', url: hook.url, secret: SECRET },
			duty: { type: 'email', to: ['duty@example.org'], smtp_url: smtp.url, from: 'mcu@example.org' }
		},
		routes: [
			{ match: {}, contacts: ['brief'] },
			{ match: { min_severity: 4 }, contacts: ['gis', 'duty'] }
		],
		options: { group_window_s: 1, remind_after_min: 30 },
		...extra
	};
}

const hotspot = (over: Partial<Hotspot> = {}): Hotspot => ({
	id: 'hs-test',
	district: 'industrialny',
	kind: 'local',
	cells: [latLngToCell(DISTRICT_POINTS.industrialny!.lat, DISTRICT_POINTS.industrialny!.lon, 9)],
	center: DISTRICT_POINTS.industrialny!,
	category: 'heating',
	count: 9,
	expected: 1.4,
	score: 4.2,
	started_at: new Date(now().getTime() - 3_600_000).toISOString(),
	growing: true,
	place: 'ул. Попова, 104',
	window_h: 6,
	...over
});

/** The hook the analytics engine publishes through (app.ts tees the live publisher into the alerts). */
const publish = (kind: 'opened' | 'escalated' | 'closed', h: Hotspot, districts: string[] = []) => {
	// As the engine does: the city scope first, then each district its incidents fall in, in one turn.
	const p = app.app.services.alerts!.tee(app.app.live.publisher);
	p.hotspotAlert({ district: null }, { kind, hotspot: h });
	for (const d of districts) p.hotspotAlert({ district: d }, { kind, hotspot: h });
};

const sentWith = (re: RegExp) => bot.sent().filter((c) => re.test(c.body.text));

beforeAll(async () => {
	[bot, hook, smtp] = await Promise.all([startBotApi(), startWebhookReceiver(SECRET), startSmtp()]);
	const dataDir = tempDir();
	alertsFile = path.join(dataDir, 'alerts.json');
	fs.writeFileSync(alertsFile, JSON.stringify(file()));
	setClock(THURSDAY_NOON);
	app = await startApp({
		dataDir,
		now,
		pages: true,
		env: { MCU_ALERTS_FILE: alertsFile, MCU_TELEGRAM_API_ROOT: bot.url, MCU_TELEGRAM_POLL_TIMEOUT_S: '1', MCU_PUBLIC_URL: 'https://mcu.example' }
	});
	wall = connectLive(app.url, app.tokens.wall);
	wall.on('incident:status', (m) => statuses.push(m));
	await connected(wall);
}, 120_000);

afterAll(async () => {
	wall?.close();
	await app?.stop();
	await Promise.all([bot?.close(), hook?.close(), smtp?.close()]);
});

describe('outbound alerts', () => {
	it('sends a local hotspot to Telegram with the button, and a city-wide surge to every contact', async () => {
		publish('opened', hotspot());
		publish('opened', hotspot({ id: 'hs-surge', kind: 'surge', district: null, cells: [], category: 'water', count: 80, expected: 20 }));
		await bot.waitFor(() => sentWith(/Всплеск/).length === 1 && sentWith(/Новый очаг/).length === 2);
		const local = sentWith(/🔥/)[0]!;
		expect(local.token).toBe(TOKEN);
		expect(local.body.chat_id).toBe(CHAT);
		expect(local.body.parse_mode).toBe('HTML');
		expect(local.body.reply_markup.inline_keyboard[0][0]).toMatchObject({ text: 'Принято в работу', callback_data: expect.stringMatching(/^a:/) });
		expect(local.body.text).toContain('https://mcu.example/district/industrialny');
		expect(local.body.text).not.toMatch(/token/i);
		// The surge (severity 4, city-wide) also goes to the webhook and the mailbox.
		await bot.waitFor(() => hook.received.length >= 1 && smtp.mails.length >= 1);
		expect(hook.received[0]!.signatureOk).toBe(true);
		expect(hook.received[0]!.body).toMatchObject({ event: 'hotspot', kind: 'hotspot_opened', city_wide: true, hotspot: { kind: 'surge', district: null } });
		expect(smtp.mails[0]!.subject).toMatch(/Всплеск/);
		expect(smtp.mails[0]!.text).toContain('https://mcu.example/wall');
		// Re-detected under the same id (as after a restart): not announced again.
		publish('opened', hotspot());
		await new Promise((r) => setTimeout(r, 600));
		expect(sentWith(/🔥/)).toHaveLength(1);
	});

	it('sends an urgent new incident with its social-network text escaped, and accepts it from the button', async () => {
		// History posted through the API (a CSV import) is not «new»: no alert for it.
		const old = incident({ severity: 5, category: 'roads', district: 'central', address: 'old-import', created_at: new Date(now().getTime() - 30 * 86_400_000).toISOString() });
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [old])).status).toBe(202);
		const x = incident({ severity: 5, category: 'roads', district: 'central', text: '<b>Провал</b> асфальта *срочно* _везде_ <a href="http://x">тут</a>', created_at: new Date(now().getTime() - 60_000).toISOString() });
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [x])).status).toBe(202);
		await bot.waitFor(() => sentWith(/Срочное обращение/).length === 1);
		const msg = sentWith(/Срочное обращение/)[0]!;
		expect(sentWith(/old-import/)).toHaveLength(0);
		expect(msg.body.text).toContain('&lt;b&gt;Провал&lt;/b&gt; асфальта *срочно* _везде_ &lt;a href="http://x"&gt;тут&lt;/a&gt;');
		await bot.waitFor(() => smtp.mails.some((m) => /Срочное/.test(m.subject ?? '')) && hook.received.some((h) => h.body.kind === 'incident'));
		expect(smtp.mails.find((m) => /Срочное/.test(m.subject ?? ''))!.text).toContain('<b>Провал</b>');

		const messageId = 100 + bot.sent().indexOf(msg);
		bot.pressButton({ data: msg.body.reply_markup.inline_keyboard[0][0].callback_data, chatId: CHAT, messageId, from: { id: 7, first_name: 'Ирина', last_name: 'Петрова', username: 'petrova' } });
		await bot.waitFor(() => bot.calls.some((c) => c.method === 'answerCallbackQuery'));
		const edit = bot.calls.find((c) => c.method === 'editMessageText')!;
		expect(edit.body).toMatchObject({ chat_id: CHAT, message_id: messageId });
		expect(edit.body.text).toContain('✅ Принято в работу: Ирина Петрова (@petrova)');
		await bot.waitFor(() => statuses.some((s) => s.incident_id === x.id));
		expect(statuses.find((s) => s.incident_id === x.id)).toMatchObject({ type: 'assigned', executor: 'Ирина Петрова (@petrova)', district: 'central' });
		const detail = await get(`${app.url}/api/v1/incidents/${x.id}`, app.tokens.admin);
		expect(JSON.stringify(detail.body)).toContain('Ирина Петрова (@petrova)');

		// Pressed again: answered, nothing recorded twice.
		bot.pressButton({ data: msg.body.reply_markup.inline_keyboard[0][0].callback_data, chatId: CHAT, messageId, from: { id: 8, first_name: 'Олег' } });
		await bot.waitFor(() => bot.calls.filter((c) => c.method === 'answerCallbackQuery').length === 2);
		expect(bot.calls.filter((c) => c.method === 'answerCallbackQuery')[1]!.body.text).toMatch(/Уже принято: Ирина/);
		expect(statuses.filter((s) => s.incident_id === x.id)).toHaveLength(1);

		const log = await get(`${app.url}/api/v1/alerts`, app.tokens.admin);
		const entry = log.body.alerts.find((a: any) => a.kind === 'incident');
		expect(entry.accepted.by).toBe('Ирина Петрова (@petrova)');
		expect(entry.deliveries.map((d: any) => [d.contact, d.state])).toEqual([
			['brief', 'sent'],
			['gis', 'sent'],
			['duty', 'sent']
		]);
		expect(log.body.acceptance).toEqual([{ district: 'central', accepted: 1, median_min: expect.any(Number) }]);
	});

	it('makes the time from alert to acceptance a figure of that district: Snapshot and tablet, not another district', async () => {
		const x = incident({ severity: 5, category: 'water', district: 'zheleznodorozhny', created_at: new Date(now().getTime() - 60_000).toISOString() });
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [x])).status).toBe(202);
		await bot.waitFor(() => sentWith(/Срочное обращение/).some((c) => c.body.text.includes('Железнодорожный')));
		const msg = sentWith(/Срочное обращение/).find((c) => c.body.text.includes('Железнодорожный'))!;
		// The clock of acceptance starts when the delivery is recorded, just after Telegram answered: wait for it.
		const recorded = async () =>
			(await get(`${app.url}/api/v1/alerts`, app.tokens.admin)).body.alerts.some((a: any) => a.kind === 'incident' && a.districts[0] === 'zheleznodorozhny' && a.deliveries[0].state === 'sent');
		for (let i = 0; i < 100 && !(await recorded()); i++) await new Promise((r) => setTimeout(r, 50));
		// Somebody takes it 12 minutes after it reached the chat.
		setClock(now().getTime() + 12 * 60_000);
		bot.pressButton({ data: msg.body.reply_markup.inline_keyboard[0][0].callback_data, chatId: CHAT, messageId: 100 + bot.sent().indexOf(msg), from: { id: 11, first_name: 'Павел' } });
		await bot.waitFor(() => statuses.some((s) => s.incident_id === x.id));
		const own = app.tokens.districts.zheleznodorozhny!;
		let snap = await get(`${app.url}/api/v1/snapshot`, own);
		for (let i = 0; i < 100 && !(snap.body.kpis.alert_acceptance_7d?.accepted > 0); i++) {
			await new Promise((r) => setTimeout(r, 200));
			snap = await get(`${app.url}/api/v1/snapshot`, own);
		}
		// One alert, accepted after 12 min and the real seconds of the press's round trip (|x − 12| < 0.5).
		const near12 = expect.closeTo(12, 0);
		const figure = { sent: 1, accepted: 1, median_min: near12, p90_min: near12 };
		expect(snap.body.kpis.alert_acceptance_7d).toEqual(figure);
		expect(snap.body.districts.map((d: any) => [d.code, d.alert_acceptance_7d])).toEqual([['zheleznodorozhny', figure]]);
		// The city sees it among the districts; the city-wide figure counts every alert of the week.
		const city = await get(`${app.url}/api/v1/snapshot`, app.tokens.wall);
		expect(city.body.districts.find((d: any) => d.code === 'zheleznodorozhny').alert_acceptance_7d).toEqual(figure);
		expect(city.body.kpis.alert_acceptance_7d.accepted).toBeGreaterThanOrEqual(2);
		// Another district's token never gets this district's figure.
		const other = await get(`${app.url}/api/v1/snapshot`, app.tokens.districts.central!);
		expect(other.body.districts.map((d: any) => d.code)).toEqual(['central']);
		expect(JSON.stringify(other.body)).not.toContain('zheleznodorozhny');
		expect(other.body.kpis.alert_acceptance_7d).toMatchObject({ sent: 1, accepted: 1 });
		expect(other.body.kpis.alert_acceptance_7d.median_min).toBeLessThan(12);
		// The tablet shows its own figure beside the city's.
		const tablet = await fetch(`${app.url}/district/zheleznodorozhny`, { headers: { cookie: `mcu_token=${encodeURIComponent(own)}` } });
		const html = (await tablet.text()).replace(/<!--[^>]*-->/g, '');
		expect(html).toMatch(/data-district-figure[^>]*>медиана 12 мин, 90\u00a0% — до 12 мин; принято 1 из 1 оповещения</);
		expect(html).toMatch(/data-city-figure[^>]*>медиана \d+ мин/);
		expect(html).toMatch(/data-kpi="acceptance_7d"/);
	});

	it('routes a hotspot on a district border to both districts, once', async () => {
		publish('opened', hotspot({ id: 'hs-border', category: 'snow' }), ['industrialny', 'leninsky']);
		await bot.waitFor(() => sentWith(/Новый очаг напряжённости: Уборка снега/).length === 1);
		const log = await get(`${app.url}/api/v1/alerts`, app.tokens.admin);
		expect(log.body.alerts.filter((a: any) => a.summary.includes('snow')).map((a: any) => a.districts)).toEqual([['industrialny', 'leninsky']]);
	});

	it('accepts a hotspot on its incidents', async () => {
		const here = DISTRICT_POINTS.industrialny!;
		const xs = [1, 2, 3].map(() => incident({ category: 'heating', district: 'industrialny', ...here, created_at: new Date(now().getTime() - 30 * 60_000).toISOString() }));
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, xs)).status).toBe(202);
		const msg = sentWith(/🔥/)[0]!;
		bot.pressButton({ data: msg.body.reply_markup.inline_keyboard[0][0].callback_data, chatId: CHAT, messageId: 100 + bot.sent().indexOf(msg), from: { id: 9, username: 'dispatcher_ind' } });
		await bot.waitFor(() => xs.every((x) => statuses.some((s) => s.incident_id === x.id)));
		expect(statuses.filter((s) => xs.some((x) => x.id === s.incident_id)).map((s) => s.executor)).toEqual(['@dispatcher_ind', '@dispatcher_ind', '@dispatcher_ind']);
	});

	it('waits out a 429 retry_after and a 502 outage, then delivers once', async () => {
		bot.failSends({ status: 429, retryAfter: 1, times: 1 });
		const t = await post(`${app.url}/api/v1/alerts/test`, app.tokens.admin, { contact: 'brief' });
		expect(t.status).toBe(200);
		expect(t.body.delivered).toBe(true);
		const tries = bot.calls.filter((c) => c.method === 'sendMessage' && /Проверка канала/.test(c.body.text));
		expect(tries).toHaveLength(2);
		expect(tries[1]!.at - tries[0]!.at).toBeGreaterThanOrEqual(1000);

		bot.failSends({ status: 502 });
		const x = incident({ severity: 4, district: 'leninsky', created_at: new Date(now().getTime() - 60_000).toISOString() });
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [x])).status).toBe(202);
		await bot.waitFor(() => bot.calls.filter((c) => c.method === 'sendMessage' && c.body.text.includes('Срочное обращение (важность 4)')).length >= 2);
		bot.failSends(null);
		await bot.waitFor(() => sentWith(/важность 4/).length === 1, 20_000);
		// The outcome is recorded (fsync) just after Telegram answered.
		const delivery = async () => (await get(`${app.url}/api/v1/alerts`, app.tokens.admin)).body.alerts.find((a: any) => a.kind === 'incident' && a.districts[0] === 'leninsky').deliveries.find((x: any) => x.contact === 'brief');
		let d = await delivery();
		for (let i = 0; i < 100 && d.state !== 'sent'; i++) {
			await new Promise((r) => setTimeout(r, 50));
			d = await delivery();
		}
		expect(d.attempts).toBeGreaterThanOrEqual(3);
		expect(d.state).toBe('sent');
		expect(new Set(bot.deliveredIds()).size).toBe(bot.deliveredIds().length);
		const metrics = await (await fetch(`${app.url}/metrics`)).text();
		expect(metrics).toMatch(/^mcu_alerts_pending \d+$/m);
		expect(metrics).toMatch(/^mcu_alerts_contact_failures\{contact="brief"\} 0$/m);
	});

	it('groups incidents going overdue in one district into one message, and reminds when nobody takes them', async () => {
		const created = new Date(now().getTime() - 60_000).toISOString();
		// 0.02 working hours = 72 s after creation: due in about 12 s.
		const xs = [1, 2, 3].map((i) => incident({ district: 'oktyabrsky', category: 'yard', address: `ул. Чкалова, ${i}`, created_at: created, deadline_hours: 0.02 }));
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, xs)).status).toBe(202);
		setClock(now().getTime() + 60_000);
		await bot.waitFor(() => sentWith(/Просрочен ответ/).length === 1);
		const msg = sentWith(/Просрочен ответ/)[0]!;
		expect(msg.body.text).toMatch(/Октябрьский.*: 3 обращ\./);
		for (let i = 1; i <= 3; i++) expect(msg.body.text).toContain(`ул. Чкалова, ${i}`);
		setClock(now().getTime() + 31 * 60_000);
		await bot.waitFor(() => sentWith(/Напоминание/).length === 1);
		expect(sentWith(/Напоминание/)[0]!.body.reply_markup).toBeDefined();
		await new Promise((r) => setTimeout(r, 1500));
		expect(sentWith(/Просрочен ответ|Напоминание/)).toHaveLength(2);
	});

	it('keeps quiet on a public holiday except for a surge, and sends what waited as one digest at 09:00', async () => {
		setClock(Date.parse('2026-11-04T05:00:00Z')); // Wednesday 4 November, National Unity Day, 12:00
		const before = bot.sent().length;
		publish('opened', hotspot({ id: 'hs-holiday-1', category: 'lighting' }));
		publish('escalated', hotspot({ id: 'hs-holiday-2', category: 'trash', district: 'central' }));
		publish('opened', hotspot({ id: 'hs-holiday-surge', kind: 'surge', cells: [], category: 'heating' }));
		await bot.waitFor(() => bot.sent().length === before + 1);
		await new Promise((r) => setTimeout(r, 1000));
		expect(bot.sent().slice(before).map((c) => /Всплеск/.test(c.body.text))).toEqual([true]);
		setClock(Date.parse('2026-11-05T02:00:01Z')); // Thursday 09:00:01
		await bot.waitFor(() => sentWith(/Сводка за нерабочее время/).length === 1);
		const digest = sentWith(/Сводка за нерабочее время/)[0]!;
		expect(digest.body.text).toMatch(/2 оповещ\./);
		expect(digest.body.text).toMatch(/lighting|Освещение/i);
		expect(bot.sent().length).toBe(before + 2);
	});

	it('shows the acceptance time of each district in the weekly report, this week against the last', async () => {
		// Monday 9 November 10:00: the week of all the alerts above (2026-W45) is over.
		setClock(Date.parse('2026-11-09T03:00:00Z'));
		const res = await post(`${app.url}/api/v1/reports`, app.tokens.admin, { week: '2026-W45' });
		expect(res.status).toBe(202);
		let meta: any;
		for (let i = 0; i < 600 && meta?.status !== 'done' && meta?.status !== 'failed'; i++) {
			await new Promise((r) => setTimeout(r, 200));
			meta = (await get(`${app.url}/api/v1/reports`, app.tokens.admin)).body.items.find((m: any) => m.id === res.body.id);
		}
		expect(meta.status).toBe('done');
		const data = JSON.parse(fs.readFileSync(path.join(app.dataDir, 'reports', meta.id, 'data.json'), 'utf8'));
		const zd = data.scopes.find((x: any) => x.district === 'zheleznodorozhny');
		expect(zd.acceptance).toEqual({ this_week: { sent: 1, accepted: 1, median_min: expect.closeTo(12, 0), p90_min: expect.closeTo(12, 0) }, last_week: null });
		expect(data.scopes.find((x: any) => x.district === 'oktyabrsky').acceptance.this_week).toMatchObject({ accepted: 0, median_min: null });
		// The district's own page of the PDF, as its head downloads it.
		const pdf = await fetch(`${app.url}/api/v1/reports/${meta.id}/report.pdf`, { headers: { authorization: `Bearer ${app.tokens.districts.zheleznodorozhny}` } });
		expect(pdf.status).toBe(200);
		const doc = await getDocumentProxy(new Uint8Array(await pdf.arrayBuffer()));
		const text = (await extractText(doc, { mergePages: true })).text.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\s+/g, ' ');
		expect(text).toContain('Принято в работу (Telegram), медиана');
		expect(text).toContain('12 мин принято 1 из 1, 90 %: 12 мин; прошлая неделя: оповещений не было');
		// The city page lists every district's median of the week.
		const full = await fetch(`${app.url}/api/v1/reports/${meta.id}/report.pdf`, { headers: { authorization: `Bearer ${app.tokens.admin}` } });
		const all = (await extractText(await getDocumentProxy(new Uint8Array(await full.arrayBuffer())), { mergePages: true })).text.replace(/[\u00a0\u202f\u2009]/g, ' ').replace(/\s+/g, ' ');
		expect(all).toContain('Медиана В срок Просроч. Принято');
		expect(all).toMatch(/Железнодорожный 1 новое — 0 % 1 12 мин Индустриальный/);
	}, 150_000);

	it('keeps the last good file after a broken edit and shows it; the log and test route are admin only', async () => {
		fs.writeFileSync(alertsFile, JSON.stringify(file({ routes: [{ match: {}, contacts: ['nobody'] }] })));
		let log = await get(`${app.url}/api/v1/alerts`, app.tokens.admin);
		for (let i = 0; i < 50 && !log.body.file.error; i++) {
			await new Promise((r) => setTimeout(r, 100));
			log = await get(`${app.url}/api/v1/alerts`, app.tokens.admin);
		}
		expect(log.body.file.error.message).toMatch(/routes\.0\.contacts\.0: unknown contact "nobody"/);
		expect(log.body.contacts.map((c: any) => c.name)).toEqual(['brief', 'gis', 'duty']);
		expect(JSON.stringify(log.body)).not.toContain(TOKEN);
		expect(JSON.stringify(log.body)).not.toContain(SECRET);
		expect((await get(`${app.url}/api/v1/alerts`, app.tokens.wall)).status).toBe(403);
		expect((await post(`${app.url}/api/v1/alerts/test`, app.tokens.wall, { contact: 'brief' })).status).toBe(403);
		expect((await post(`${app.url}/api/v1/alerts/test`, app.tokens.admin, { contact: 'ghost' })).status).toBe(404);
		expect((await post(`${app.url}/api/v1/alerts/test`, app.tokens.admin, { who: 'brief' })).status).toBe(400);
	});
});
