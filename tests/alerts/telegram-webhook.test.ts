/**
 * Webhook mode for the answer back (`options.telegram_updates: "webhook"` with MCU_PUBLIC_URL): at start the
 * product calls setWebhook with its URL and a secret token; Telegram's update with a callback_query posted
 * there (as the Bot API stand-in records it) records the acceptance; a wrong secret changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, post, startApp, tempDir, type StartedApp } from '../helpers/app.ts';
import { freePort } from '../helpers/net.ts';
import { incident } from '../helpers/incidents.ts';
import { startBotApi, type BotApi } from './support/bot-api.ts';

const TOKEN = '333333:WEBHOOKtokenABCDEFG';
let bot: BotApi;
let app: StartedApp;

beforeAll(async () => {
	bot = await startBotApi();
	const dataDir = tempDir();
	const file = path.join(dataDir, 'alerts.json');
	fs.writeFileSync(
		file,
		JSON.stringify({
			contacts: { brief: { type: 'telegram', bot_token: TOKEN, chat_id: '-100400' } },
			routes: [{ match: {}, contacts: ['brief'] }],
			options: { telegram_updates: 'webhook' }
		})
	);
	const port = await freePort();
	app = await startApp({ dataDir, port, pages: false, env: { MCU_ALERTS_FILE: file, MCU_TELEGRAM_API_ROOT: bot.url, MCU_PUBLIC_URL: `http://127.0.0.1:${port}` } });
}, 120_000);

afterAll(async () => {
	await app?.stop();
	await bot?.close();
});

describe('Telegram webhook mode', () => {
	it('sets the webhook, takes a button press posted to it, and refuses a wrong secret', async () => {
		await bot.waitFor(() => bot.webhooks.has(TOKEN));
		const hook = bot.webhooks.get(TOKEN)!;
		expect(hook.url).toBe(`${app.url}/api/v1/alerts/telegram/333333`);
		expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
		expect(bot.calls.some((c) => c.method === 'getUpdates')).toBe(false);

		const x = incident({ severity: 5, district: 'industrialny' });
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [x])).status).toBe(202);
		await bot.waitFor(() => bot.sent().length === 1);
		const data = bot.sent()[0]!.body.reply_markup.inline_keyboard[0][0].callback_data;
		const update = { update_id: 1, callback_query: { id: 'cb1', from: { id: 5, first_name: 'Анна' }, chat_instance: 'c', data, message: { message_id: 100, chat: { id: -100400 }, date: 0 } } };
		const send = (secret: string) =>
			fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(update) });

		expect((await send('0'.repeat(64))).status).toBe(401);
		expect(bot.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(false);
		expect((await send(hook.secret)).status).toBe(200);
		expect(bot.calls.find((c) => c.method === 'answerCallbackQuery')!.body.text).toBe('Принято в работу');
		for (let i = 0; i < 100; i++) {
			const detail = await get(`${app.url}/api/v1/incidents/${x.id}`, app.tokens.admin);
			if (JSON.stringify(detail.body).includes('"executor":"Анна"')) break;
			await new Promise((r) => setTimeout(r, 50));
		}
		expect(JSON.stringify((await get(`${app.url}/api/v1/incidents/${x.id}`, app.tokens.admin)).body)).toContain('"executor":"Анна"');
	});
});
