/**
 * System alerts go out while the store is down (the outbox does not depend on it): the store's tables are
 * detached under the running app, an ingest spools, «Хранилище недоступно» and «Буфер приёма заполняется»
 * reach Telegram (the stand-in); attached again, «Хранилище снова доступно» follows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startApp, tempDir, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { startBotApi, type BotApi } from './support/bot-api.ts';

let bot: BotApi;
let app: StartedApp;

beforeAll(async () => {
	bot = await startBotApi();
	const dataDir = tempDir();
	const file = path.join(dataDir, 'alerts.json');
	fs.writeFileSync(
		file,
		JSON.stringify({
			contacts: { ops: { type: 'telegram', bot_token: '222222:SYSTEMtokenABCDEFG', chat_id: '-100300' } },
			routes: [{ match: { events: ['system'] }, contacts: ['ops'] }],
			options: { spool_alert_share: 0.5 }
		})
	);
	app = await startApp({ dataDir, pages: false, env: { MCU_ALERTS_FILE: file, MCU_TELEGRAM_API_ROOT: bot.url, MCU_TELEGRAM_POLL_TIMEOUT_S: '1', MCU_SPOOL_MAX_BYTES: '200000' } });
}, 120_000);

afterAll(async () => {
	await app?.stop();
	await bot?.close();
});

describe('system alerts', () => {
	it('tells of the store going down and the spool filling while the store is down, then of its return', async () => {
		await app.store.command({ query: 'DETACH TABLE incidents' });
		try {
			// Past half of the spool's limit, short of full: every batch is still taken.
			while (app.pipeline.spoolDepth.bytes < 120_000) {
				const batch = Array.from({ length: 10 }, () => incident({ text: 'x'.repeat(200) }));
				expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, batch)).status).toBe(202);
			}
			// the writer learns of the detached table on its next insert, in the background
			for (let i = 0; i < 600 && app.pipeline.storeUp; i++) await new Promise((r) => setTimeout(r, 50));
			expect(app.pipeline.storeUp).toBe(false);
			await bot.waitFor(() => bot.sent().some((c) => /Хранилище недоступно/.test(c.body.text)) && bot.sent().some((c) => /Буфер приёма заполняется/.test(c.body.text)), 20_000);
			expect(bot.sent().find((c) => /Буфер приёма/.test(c.body.text))!.body.text).toMatch(/заполнен на \d+ %/);
			// A system alert has no «Принято в работу».
			expect(bot.sent().every((c) => c.body.reply_markup === undefined)).toBe(true);
		} finally {
			await app.store.command({ query: 'ATTACH TABLE incidents' });
		}
		await bot.waitFor(() => bot.sent().some((c) => /Хранилище снова доступно/.test(c.body.text)), 30_000);
		expect(bot.sent().filter((c) => /Хранилище недоступно/.test(c.body.text))).toHaveLength(1);
	}, 90_000);
});
