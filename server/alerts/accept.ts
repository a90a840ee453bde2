/**
 * The answer back: «Принято в работу» pressed in Telegram. Long polling `getUpdates` per bot by default;
 * with `options.telegram_updates: "webhook"` and MCU_PUBLIC_URL, Telegram posts the updates to
 * `/api/v1/alerts/telegram/<bot id>` instead (setWebhook with a secret token checked on every call). A
 * `callback_query` whose data is `a:<alert id>` records an `assigned` status event (executor: who pressed)
 * on the alert's incidents — through the ingest pipeline, so it is durable and pushed as `incident:status`
 * — then edits the message to show who took it and answers the callback. Pressing twice, or in two chats,
 * records it once.
 */
import crypto from 'node:crypto';
import type { StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { TelegramContactPoint } from './config.ts';
import type { AlertState } from './model.ts';
import type { Outbox } from './outbox.ts';
import { acceptedLine, escapeHtml, telegramText, type MessageContext } from './messages.ts';
import { telegramClient, type TelegramClient } from './senders/telegram-api.ts';

interface CallbackQuery {
	id: string;
	from: { id: number; first_name?: string; last_name?: string; username?: string };
	message?: { message_id: number; chat: { id: number | string } };
	data?: string;
}

interface Update {
	update_id: number;
	callback_query?: CallbackQuery;
}

export interface AcceptDeps {
	outbox: Outbox;
	apiRoot: string;
	ctx: MessageContext;
	submitEvents(events: StatusEventInput[]): Promise<unknown>;
	/** The open incidents of a hotspot alert (looked up when it is accepted). */
	hotspotIncidents(st: AlertState): Promise<string[]>;
	log: (msg: string) => void;
	now: () => Date;
	/** Seconds a getUpdates call may wait for news (Telegram long polling). */
	pollTimeoutS: number;
	/** Webhook mode: the public base URL Telegram posts updates under; null = long polling. */
	webhookBase: () => string | null;
}

/** The secret Telegram sends back in X-Telegram-Bot-Api-Secret-Token: derived from the bot token, never stored. */
export function webhookSecret(botToken: string): string {
	return crypto.createHmac('sha256', botToken).update('mcu-telegram-webhook').digest('hex');
}

export const botIdOf = (botToken: string) => botToken.split(':')[0]!;

/** Who pressed: "Имя Фамилия (@username)", at most 200 characters (the executor field's limit). */
export function presser(from: CallbackQuery['from']): string {
	const name = [from.first_name, from.last_name].filter(Boolean).join(' ').trim();
	const user = from.username ? `@${from.username}` : '';
	const s = name && user ? `${name} (${user})` : name || user || `id ${from.id}`;
	return s.slice(0, 200);
}

export class AcceptancePoller {
	private readonly loops = new Map<string, { stop: AbortController; done: Promise<void> }>();
	/** Alerts being accepted right now: a double press waits for nothing and records nothing. */
	private readonly accepting = new Set<string>();

	constructor(private readonly deps: AcceptDeps) {}

	/** One long-polling loop per distinct bot token of the file; loops of removed bots stop. */
	sync(contacts: TelegramContactPoint[]): void {
		const tokens = new Set(contacts.map((c) => c.bot_token));
		for (const [token, loop] of this.loops) {
			if (!tokens.has(token)) {
				loop.stop.abort();
				this.loops.delete(token);
			}
		}
		for (const token of tokens) {
			if (this.loops.has(token)) continue;
			const stop = new AbortController();
			this.loops.set(token, { stop, done: this.run(token, stop.signal) });
		}
	}

	/** A Telegram webhook call: false when the bot or the secret is not ours (nothing is done then). */
	async webhookUpdate(botId: string, secret: string | undefined, update: unknown): Promise<boolean> {
		const token = [...this.loops.keys()].find((t) => botIdOf(t) === botId);
		if (!token || !secret || !safeEqual(secret, webhookSecret(token))) return false;
		const q = (update as Update | null)?.callback_query;
		if (q && typeof q === 'object') await this.handle(telegramClient(this.deps.apiRoot, token), q).catch((e: unknown) => this.deps.log(`alert acceptance failed: ${(e as Error).message}`));
		return true;
	}

	private async run(token: string, signal: AbortSignal): Promise<void> {
		const bot = telegramClient(this.deps.apiRoot, token);
		const base = this.deps.webhookBase();
		for (let failures = 0; !signal.aborted; failures++) {
			try {
				if (base) {
					await bot.call('setWebhook', { url: `${base.replace(/\/+$/, '')}/api/v1/alerts/telegram/${botIdOf(token)}`, secret_token: webhookSecret(token), allowed_updates: ['callback_query'] }, { signal });
					return;
				}
				// getUpdates is refused while a webhook is set (an earlier run in webhook mode).
				await bot.call('deleteWebhook', {}, { signal });
				break;
			} catch (e) {
				if (signal.aborted) return;
				if (failures === 0 || failures % 20 === 0) this.deps.log(`telegram ${base ? 'setWebhook' : 'deleteWebhook'} failed: ${(e as Error).message}`);
				await sleep(Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)), signal);
			}
		}
		await this.poll(bot, signal);
	}

	async stop(): Promise<void> {
		const loops = [...this.loops.values()];
		this.loops.clear();
		for (const l of loops) l.stop.abort();
		await Promise.allSettled(loops.map((l) => l.done));
	}

	private async poll(bot: TelegramClient, signal: AbortSignal): Promise<void> {
		let offset = 0;
		let failures = 0;
		while (!signal.aborted) {
			try {
				const updates = await bot.call<Update[]>(
					'getUpdates',
					{ offset, timeout: this.deps.pollTimeoutS, allowed_updates: ['callback_query'] },
					{ signal, timeoutMs: (this.deps.pollTimeoutS + 10) * 1000 }
				);
				failures = 0;
				for (const u of updates) {
					offset = Math.max(offset, u.update_id + 1);
					if (u.callback_query) await this.handle(bot, u.callback_query).catch((e: unknown) => this.deps.log(`alert acceptance failed: ${(e as Error).message}`));
				}
			} catch (e) {
				if (signal.aborted) return;
				failures++;
				if (failures === 1 || failures % 20 === 0) this.deps.log(`telegram getUpdates failed (${failures} in a row): ${(e as Error).message}`);
				await sleep(Math.min(30_000, 1000 * 2 ** Math.min(failures - 1, 5)), signal);
			}
		}
	}

	/** Handles one button press; exported through the poller for the webhook mode too. */
	async handle(bot: TelegramClient, q: CallbackQuery): Promise<void> {
		const answer = (text: string) => bot.call('answerCallbackQuery', { callback_query_id: q.id, text }).catch(() => undefined);
		const m = /^a:([A-Za-z0-9_-]{1,32})$/.exec(q.data ?? '');
		const st = m ? this.deps.outbox.get(m[1]!) : undefined;
		if (!st) return void (await answer('Оповещение не найдено (устарело)'));
		if (st.ack) return void (await answer(`Уже принято: ${st.ack.by}`));
		if (this.accepting.has(st.alert.id)) return void (await answer('Уже принимается'));
		this.accepting.add(st.alert.id);
		try {
			await this.accept(bot, q, st);
		} catch (e) {
			// The press is answered either way: Telegram would otherwise keep the button spinning.
			await answer('Не удалось записать, нажмите ещё раз через минуту');
			throw e;
		} finally {
			this.accepting.delete(st.alert.id);
		}
		await answer('Принято в работу');
	}

	private async accept(bot: TelegramClient, q: CallbackQuery, st: AlertState): Promise<void> {
		const by = presser(q.from);
		const at = this.deps.now();
		const ids = st.alert.event === 'hotspot' ? await this.deps.hotspotIncidents(st) : st.alert.incident_ids;
		if (ids.length > 0) {
			await this.deps.submitEvents(ids.map((incident_id) => ({ incident_id, type: 'assigned' as const, at: at.toISOString(), executor: by, comment: 'Принято в работу в Telegram' })));
		}
		await this.deps.outbox.ack(st.alert.id, by, at);
		// A reminder accepted accepts the alert it reminds of.
		const original = st.alert.reminder_of ? this.deps.outbox.get(st.alert.reminder_of) : undefined;
		if (original && !original.ack) await this.deps.outbox.ack(original.alert.id, by, at);
		if (q.message) {
			await bot
				.call('editMessageText', {
					chat_id: q.message.chat.id,
					message_id: q.message.message_id,
					text: `${telegramText(st.alert, this.deps.ctx)}\n\n${escapeHtml(acceptedLine(by, at, this.deps.ctx.tz))}`,
					parse_mode: 'HTML',
					link_preview_options: { is_disabled: true }
				})
				.catch((e: unknown) => this.deps.log(`telegram editMessageText failed: ${(e as Error).message}`));
		}
	}
}

function safeEqual(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		const t = setTimeout(resolve, ms);
		signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
	});
}
