/**
 * The alerts file, routing, quiet hours and message text, as pure logic: refusals name the field, a
 * broken edit at run time keeps the last good file, quiet hours follow the production calendar (a public
 * holiday is quiet all day, the digest comes at 09:00 of the next working day), Telegram markup is escaped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertsFileError, AlertsFileWatcher, parseAlertsFile } from '../../server/alerts/config.ts';
import { contactsFor, isQuiet, nextDigest, plan } from '../../server/alerts/route.ts';
import { hotspotAlert, incidentAlert, overdueAlerts } from '../../server/alerts/build.ts';
import { digestText, escapeHtml, telegramText, type MessageContext } from '../../server/alerts/messages.ts';
import { loadCityPack } from '../../server/city/pack.ts';
import { PROJECT_ROOT, tempDir } from '../helpers/app.ts';
import type { Hotspot } from '../../src/lib/contract/snapshot.ts';

const city = loadCityPack(path.join(PROJECT_ROOT, 'city', 'barnaul'), 'Asia/Barnaul');
const known = { districts: city.districts.map((d) => d.code), categories: city.categories.map((c) => c.code) };
const TOKEN = '123456:ABCDEFGHIJKLMNOP';

const good = {
	contacts: {
		brief: { type: 'telegram', bot_token: TOKEN, chat_id: '-1001234567890' },
		gis: { type: 'webhook', url: 'https://gis.example/hook', secret: 'sixteen-chars-secret' },
		duty: { type: 'email', to: ['duty@example.org'], smtp_url: 'smtp://mail.example:25', from: 'mcu@example.org' }
	},
	routes: [
		{ match: { district: 'industrialny', events: ['hotspot', 'overdue'] }, contacts: ['brief'] },
		{ match: { min_severity: 4 }, contacts: ['duty', 'gis'] }
	]
};

function problems(file: unknown): string[] {
	try {
		parseAlertsFile(JSON.stringify(file), 'alerts.json', known);
	} catch (e) {
		expect(e).toBeInstanceOf(AlertsFileError);
		return (e as AlertsFileError).problems;
	}
	return [];
}

const hotspot = (over: Partial<Hotspot> = {}): Hotspot => ({
	id: 'hs-1',
	district: 'industrialny',
	kind: 'local',
	cells: ['8921a4a1c8bffff'],
	center: { lat: 53.34, lon: 83.66 },
	category: 'heating',
	count: 12,
	expected: 2.1,
	score: 5,
	started_at: '2026-11-05T05:00:00.000Z',
	growing: true,
	place: 'ул. Попова, 104',
	window_h: 6,
	...over
});

const ctx: MessageContext = { publicUrl: 'https://mcu.example', tz: 'Asia/Barnaul', districtName: (c) => c, categoryLabel: (c) => c };

describe('the alerts file', () => {
	it('accepts the contract example and fills the defaults', () => {
		const cfg = parseAlertsFile(JSON.stringify(good), 'alerts.json', known);
		expect(cfg.options.digest_at).toBe('09:00');
		expect(cfg.contacts.brief).toMatchObject({ type: 'telegram', per_minute: 20 });
	});

	it('refuses an unknown contact, an empty chat id and a plain-http webhook, naming the field', () => {
		const bad = structuredClone(good) as any;
		bad.contacts.brief.chat_id = '  ';
		bad.routes[1].contacts.push('nobody');
		expect(problems(bad)).toEqual([expect.stringMatching(/^contacts\.brief\.chat_id: is empty/)]);
		bad.contacts.brief.chat_id = '-100';
		expect(problems(bad)).toEqual([expect.stringMatching(/^routes\.1\.contacts\.2: unknown contact "nobody"/)]);
		bad.routes[1].contacts.pop();
		bad.contacts.gis.url = 'http://gis.example/hook';
		expect(problems(bad)).toEqual([expect.stringMatching(/^contacts\.gis\.url: must be https:\/\//)]);
		bad.contacts.gis.url = 'http://127.0.0.1:9000/hook';
		expect(problems(bad)).toEqual([]);
	});

	it('refuses broken JSON, unknown fields and districts', () => {
		expect(() => parseAlertsFile('{"contacts":', 'a.json', known)).toThrow(/a\.json:\n {2}\(file\): not valid JSON/);
		expect(problems({ ...good, extra: 1 })[0]).toMatch(/Unrecognized key/);
		expect(problems({ ...good, routes: [{ match: { district: 'atlantis' }, contacts: ['brief'] }] })).toEqual(['routes.0.match: unknown district "atlantis"']);
		expect(problems({ ...good, routes: [] })).toEqual(['routes: has no route: nothing would be sent']);
	});

	it('keeps the last good file when an edit breaks it, and says so', () => {
		const file = path.join(tempDir(), 'alerts.json');
		fs.writeFileSync(file, JSON.stringify(good));
		const logged: string[] = [];
		const w = new AlertsFileWatcher(file, known, (m) => logged.push(m));
		fs.writeFileSync(file, JSON.stringify({ ...good, routes: [{ match: {}, contacts: ['ghost'] }] }));
		expect(w.reload()).toBe(false);
		expect(Object.keys(w.config.contacts)).toEqual(['brief', 'gis', 'duty']);
		expect(w.config.routes).toHaveLength(2);
		expect(w.status.error?.message).toMatch(/routes\.0\.contacts\.0: unknown contact "ghost"/);
		expect(logged.join('\n')).toMatch(/last good alerts file stays in force/);
		fs.writeFileSync(file, JSON.stringify({ ...good, routes: [good.routes[0]] }));
		expect(w.reload()).toBe(true);
		expect(w.status.error).toBeNull();
		expect(w.config.routes).toHaveLength(1);
	});
});

describe('routing', () => {
	const cfg = parseAlertsFile(JSON.stringify(good), 'alerts.json', known);
	const at = new Date('2026-11-05T05:00:00Z'); // Thursday 12:00 in Barnaul

	it('routes by district, event and severity; a city-wide surge matches district routes', () => {
		expect(contactsFor(cfg, hotspotAlert({ kind: 'opened', hotspot: hotspot() }, ['industrialny'], at))).toEqual(['brief']);
		expect(contactsFor(cfg, hotspotAlert({ kind: 'opened', hotspot: hotspot({ district: 'central' }) }, ['central'], at))).toEqual([]);
		const surge = hotspotAlert({ kind: 'opened', hotspot: hotspot({ kind: 'surge', district: null, cells: [] }) }, [], at);
		expect(contactsFor(cfg, surge)).toEqual(['brief', 'duty', 'gis']);
		const urgent = incidentAlert({ id: 'i1', created_at: at.toISOString(), district: 'central', category: 'roads', source: 'vk', lat: null, lon: null, address: '', text: '', severity: 5, status: 'open', deadline_at: at.toISOString(), repeat_of: null }, cfg.options, at);
		expect(contactsFor(cfg, urgent)).toEqual(['duty', 'gis']);
	});

	it('groups overdue incidents into one alert per district', () => {
		const row = (id: string, district: string) => ({ id, district, category: 'heating', severity: 2, address: 'a', text: 't', created_at: at.toISOString(), deadline_at: at.toISOString() });
		const alerts = overdueAlerts([row('a', 'industrialny'), row('b', 'central'), row('c', 'industrialny')], cfg.options, at);
		expect(alerts.map((a) => [a.districts[0], a.incident_ids])).toEqual([
			['industrialny', ['a', 'c']],
			['central', ['b']]
		]);
	});
});

describe('quiet hours on the production calendar', () => {
	const cfg = parseAlertsFile(JSON.stringify(good), 'alerts.json', known);
	// 4 November 2026 (Wednesday) is National Unity Day: a public holiday, quiet all day.
	const holidayNoon = new Date('2026-11-04T05:00:00Z');

	it('is quiet on a holiday at noon, not on the next working day at noon', () => {
		expect(city.calendar.isWorkingDay('2026-11-04')).toBe(false);
		expect(isQuiet(holidayNoon, city.calendar)).toBe(true);
		expect(isQuiet(new Date('2026-11-05T05:00:00Z'), city.calendar)).toBe(false);
		expect(isQuiet(new Date('2026-11-05T15:00:00Z'), city.calendar)).toBe(true); // 22:00
	});

	it('holds a local hotspot for the 09:00 digest of the next working day; a surge goes now', () => {
		expect(nextDigest(holidayNoon, city.calendar, '09:00').toISOString()).toBe('2026-11-05T02:00:00.000Z');
		const local = plan(cfg, hotspotAlert({ kind: 'opened', hotspot: hotspot() }, ['industrialny'], holidayNoon), holidayNoon, city.calendar);
		expect(local).toEqual([{ contact: 'brief', due_at: '2026-11-05T02:00:00.000Z', digest: true }]);
		const surge = plan(cfg, hotspotAlert({ kind: 'opened', hotspot: hotspot({ kind: 'surge', cells: [] }) }, ['industrialny'], holidayNoon), holidayNoon, city.calendar);
		expect(surge.every((d) => !d.digest && d.due_at === holidayNoon.toISOString())).toBe(true);
		// Friday evening → Monday 09:00 (Saturday and Sunday are off).
		expect(nextDigest(new Date('2026-11-06T12:00:00Z'), city.calendar, '09:00').toISOString()).toBe('2026-11-09T02:00:00.000Z');
	});
});

describe('message text', () => {
	it('escapes social-network text for Telegram HTML: a <b>, * or _ cannot break or inject', () => {
		expect(escapeHtml('<b>x</b> & *y* _z_')).toBe('&lt;b&gt;x&lt;/b&gt; &amp; *y* _z_');
		const at = new Date('2026-11-05T05:00:00Z');
		const a = incidentAlert({ id: 'i1', created_at: at.toISOString(), district: 'central', category: 'roads', source: 'vk', lat: null, lon: null, address: 'ул. <i>Ленина</i>', text: '<b>жирно</b> <a href="http://evil">x</a> *звёзды* _подчерк_', severity: 5, status: 'open', deadline_at: at.toISOString(), repeat_of: null }, parseAlertsFile(JSON.stringify(good), 'a', known).options, at);
		const text = telegramText(a, ctx);
		const tags = [...text.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((m) => m[0]);
		expect(tags).toEqual(['<b>', '</b>', '<a href="https://mcu.example/district/central">', '</a>']);
		expect(text).toContain('&lt;b&gt;жирно&lt;/b&gt;');
		expect(text).toContain('*звёзды* _подчерк_');
		expect(text).not.toMatch(/token=/);
		expect(digestText([a], ctx, true)).toContain('(№ ');
	});

	it('says what, where, how many against the usual, since when and whether it grows', () => {
		const text = telegramText(hotspotAlert({ kind: 'opened', hotspot: hotspot() }, ['industrialny'], new Date()), ctx);
		expect(text).toMatch(/Новый очаг напряжённости: heating/);
		expect(text).toMatch(/Где: industrialny, ул\. Попова, 104/);
		expect(text).toMatch(/12 обращений при обычных 2,1 за 6 ч/);
		expect(text).toMatch(/растёт/);
	});
});
