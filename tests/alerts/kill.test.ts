/**
 * The outbox across SIGKILL, with the product as a child process: urgent incidents are alerted while
 * Telegram is down (the stand-in answers 502), the process is killed with SIGKILL three times, restarted,
 * Telegram comes back — every recorded alert is delivered, each once. An invalid alerts file stops the
 * process at start with the field named.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post, startAppProcess, tempDir } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { startBotApi, type BotApi } from './support/bot-api.ts';

const TOKEN = '654321:KILLTESTtokenABCDEF';
let bot: BotApi;

beforeAll(async () => {
	bot = await startBotApi();
});
afterAll(async () => bot?.close());

function writeFile(dir: string, file: unknown): string {
	const f = path.join(dir, 'alerts.json');
	fs.writeFileSync(f, JSON.stringify(file));
	return f;
}

const env = (alertsFile: string) => ({ MCU_ALERTS_FILE: alertsFile, MCU_TELEGRAM_API_ROOT: bot.url, MCU_TELEGRAM_POLL_TIMEOUT_S: '1', MCU_LOG_LEVEL: 'warn' });

describe('alerts across kill -9', () => {
	it('delivers every recorded alert once after kills during a Telegram outage', async () => {
		const dataDir = tempDir();
		const file = writeFile(dataDir, {
			contacts: { brief: { type: 'telegram', bot_token: TOKEN, chat_id: '-100777' } },
			routes: [{ match: { events: ['incident'] }, contacts: ['brief'] }]
		});
		bot.failSends({ status: 502 });
		const expected: string[] = [];
		for (let round = 0; round < 3; round++) {
			const proc = await startAppProcess({ dataDir, env: env(file) });
			for (let i = 0; i < 4; i++) {
				const x = incident({ severity: 5, district: 'central', address: `kill-${round}-${i}`, created_at: new Date(Date.now() - 60_000).toISOString() });
				expect((await post(`${proc.url}/api/v1/incidents`, proc.tokens.ingest, [x])).status).toBe(202);
				expected.push(x.address!);
			}
			// Recorded (the log lists them) before the kill: from then on they must survive it.
			for (let log = await get(`${proc.url}/api/v1/alerts`, proc.tokens.admin); log.body.alerts.length < expected.length; log = await get(`${proc.url}/api/v1/alerts`, proc.tokens.admin)) {
				await new Promise((r) => setTimeout(r, 50));
			}
			await new Promise((r) => setTimeout(r, Math.random() * 400));
			proc.child.kill('SIGKILL');
			expect(await proc.exited).toBe('SIGKILL');
		}
		expect(bot.sent()).toHaveLength(0);
		bot.failSends(null);
		const last = await startAppProcess({ dataDir, env: env(file) });
		await bot.waitFor(() => bot.sent().length >= expected.length, 60_000);
		await new Promise((r) => setTimeout(r, 1500));
		expect(await last.kill('SIGTERM')).toBe(0);
		const delivered = bot.sent().map((c) => /kill-\d-\d/.exec(c.body.text)?.[0]);
		expect(delivered.sort()).toEqual([...expected].sort());
		expect(new Set(bot.deliveredIds()).size).toBe(expected.length);
	}, 300_000);

	it('alerts after a restart an urgent incident whose alert a crash kept from being recorded, and only once', async () => {
		const dataDir = tempDir();
		const file = writeFile(dataDir, {
			contacts: { brief: { type: 'telegram', bot_token: TOKEN, chat_id: '-100778' } },
			routes: [{ match: { events: ['incident'] }, contacts: ['brief'] }]
		});
		// Stored, then killed before any alert was recorded (here: alerting was not even on).
		const first = await startAppProcess({ dataDir, env: { MCU_LOG_LEVEL: 'warn' } });
		const x = incident({ severity: 4, district: 'leninsky', address: 'recover-me', created_at: new Date(Date.now() - 60_000).toISOString() });
		expect((await post(`${first.url}/api/v1/incidents`, first.tokens.ingest, [x])).status).toBe(202);
		first.child.kill('SIGKILL');
		await first.exited;
		const count = () => bot.sent().filter((c) => c.body.text.includes('recover-me')).length;
		for (let round = 0; round < 2; round++) {
			const proc = await startAppProcess({ dataDir, env: env(file) });
			await bot.waitFor(() => count() >= 1, 30_000);
			await new Promise((r) => setTimeout(r, 1500));
			expect(await proc.kill('SIGTERM')).toBe(0);
		}
		expect(count()).toBe(1);
	}, 180_000);

	it('does not start with an invalid alerts file, and names the field', async () => {
		const dataDir = tempDir();
		const file = writeFile(dataDir, {
			contacts: { brief: { type: 'telegram', bot_token: TOKEN, chat_id: '' }, gis: { type: 'webhook', url: 'http://gis.example/hook', secret: 'sixteen-characters!' } },
			routes: [{ match: {}, contacts: ['brief', 'nobody'] }]
		});
		const started = startAppProcess({ dataDir, env: env(file) });
		await expect(started).rejects.toThrow(/app exited \(1\) before listening/);
		const message = await started.catch((e: Error) => e.message);
		expect(message).toMatch(/contacts\.brief\.chat_id: is empty/);
		// The shape is checked first; once it is right the cross-checks speak.
		fs.writeFileSync(file, JSON.stringify({ contacts: { gis: { type: 'webhook', url: 'http://gis.example/hook', secret: 'sixteen-characters!' } }, routes: [{ match: {}, contacts: ['gis', 'nobody'] }] }));
		const again = await startAppProcess({ dataDir, env: env(file) }).catch((e: Error) => e.message);
		expect(again).toMatch(/contacts\.gis\.url: must be https:\/\//);
		expect(again).toMatch(/routes\.0\.contacts\.1: unknown contact "nobody"/);
	}, 120_000);
});
