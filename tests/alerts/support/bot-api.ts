/**
 * A local stand-in of the Telegram Bot API over real HTTP: `POST /bot<token>/<method>` with JSON.
 * Records sendMessage / editMessageText / answerCallbackQuery, serves getUpdates (long polling with the
 * offset semantics of the real API) from updates a test queues, and on demand answers 429 with
 * `retry_after` or 502 (a Telegram outage).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BotCall {
	token: string;
	method: string;
	body: any;
	at: number;
}

export interface BotApi {
	url: string;
	calls: BotCall[];
	sent(): BotCall[];
	/** Alert ids of every sendMessage that got through (from the button, else the "№" footer). */
	deliveredIds(): string[];
	/** Fail sendMessage: with 502, or with 429 and retry_after seconds; null = healthy. */
	failSends(mode: null | { status: 502 } | { status: 429; retryAfter: number; times?: number }): void;
	/** Answer sendMessage only after this long (a slow Telegram: a kill then lands between send and record). */
	delaySends(ms: number): void;
	webhooks: Map<string, { url: string; secret: string }>;
	/** Called on every sendMessage that got through, as it is recorded. */
	onSent: ((call: BotCall) => void) | null;
	pressButton(opts: { data: string; chatId: number | string; messageId: number; from: { id: number; first_name?: string; last_name?: string; username?: string } }): void;
	waitFor(pred: () => boolean, ms?: number): Promise<void>;
	close(): Promise<void>;
}

export async function startBotApi(port = 0): Promise<BotApi> {
	const calls: BotCall[] = [];
	const updates: any[] = [];
	let nextUpdate = 1;
	let nextMessage = 100;
	let delay = 0;
	/** Webhooks set per bot token: getUpdates is refused while one is set, as the real API does. */
	const webhooks = new Map<string, { url: string; secret: string }>();
	let fail: null | { status: 502 } | { status: 429; retryAfter: number; times?: number } = null;
	const waiting = new Set<() => void>();

	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (c) => (raw += c));
		req.on('end', () => {
			const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
			const reply = (status: number, body: unknown) => {
				if (res.destroyed) return;
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(body));
			};
			if (!m) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
			const [, token, method] = m as unknown as [string, string, string];
			let body: any = {};
			try {
				body = raw ? JSON.parse(raw) : {};
			} catch {
				return reply(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
			}
			if (method === 'getUpdates' && webhooks.has(token)) {
				return reply(409, { ok: false, error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" });
			}
			if (method === 'getUpdates') {
				const offset = Number(body.offset ?? 0);
				// Confirmed updates are forgotten, as the real API does.
				while (updates.length && updates[0].update_id < offset) updates.shift();
				const serve = () => reply(200, { ok: true, result: updates.filter((u) => u.update_id >= offset) });
				if (updates.some((u) => u.update_id >= offset) || !body.timeout) return serve();
				const wake = () => {
					waiting.delete(wake);
					clearTimeout(timer);
					serve();
				};
				const timer = setTimeout(wake, Math.min(Number(body.timeout), 2) * 1000);
				waiting.add(wake);
				res.once('close', () => waiting.delete(wake));
				return;
			}
			calls.push({ token, method, body, at: Date.now() });
			if (method === 'sendMessage') {
				if (fail?.status === 502) return reply(502, { ok: false, error_code: 502, description: 'Bad Gateway' });
				if (fail?.status === 429) {
					const f = fail;
					if (f.times !== undefined && --f.times <= 0) fail = null;
					return reply(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${f.retryAfter}`, parameters: { retry_after: f.retryAfter } });
				}
				if (!body.chat_id || !body.text) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: chat_id and text are required' });
				const id = nextMessage++;
				const call = calls[calls.length - 1] as any;
				call.ok = true;
				api.onSent?.(call);
				if (delay > 0) return void setTimeout(() => reply(200, { ok: true, result: { message_id: id, chat: { id: body.chat_id }, date: Math.floor(Date.now() / 1000), text: body.text } }), delay);
				return reply(200, { ok: true, result: { message_id: id, chat: { id: body.chat_id }, date: Math.floor(Date.now() / 1000), text: body.text } });
			}
			if (method === 'editMessageText' || method === 'answerCallbackQuery') return reply(200, { ok: true, result: true });
			if (method === 'setWebhook') {
				if (!/^https?:\/\//.test(body.url ?? '')) return reply(400, { ok: false, error_code: 400, description: 'Bad Request: bad webhook: invalid URL' });
				webhooks.set(token, { url: body.url, secret: body.secret_token });
				return reply(200, { ok: true, result: true, description: 'Webhook was set' });
			}
			if (method === 'deleteWebhook') {
				webhooks.delete(token);
				return reply(200, { ok: true, result: true, description: 'Webhook is already deleted' });
			}
			return reply(404, { ok: false, error_code: 404, description: `Not Found: method ${method}` });
		});
	});
	await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	const sent = () => calls.filter((c) => c.method === 'sendMessage' && (c as any).ok);
	const api: BotApi = {
		url,
		calls,
		onSent: null,
		webhooks,
		delaySends: (ms) => (delay = ms),
		sent,
		deliveredIds: () =>
			sent().map((c) => {
				const data: string | undefined = c.body.reply_markup?.inline_keyboard?.[0]?.[0]?.callback_data;
				return data ? data.slice(2) : (/№ (\S+)\s*$/.exec(c.body.text)?.[1] ?? '?');
			}),
		failSends: (mode) => (fail = mode),
		pressButton({ data, chatId, messageId, from }) {
			updates.push({
				update_id: nextUpdate++,
				callback_query: { id: `cb${nextUpdate}`, from: { is_bot: false, ...from }, chat_instance: 'x', data, message: { message_id: messageId, chat: { id: chatId, type: 'supergroup' }, date: 0 } }
			});
			for (const w of [...waiting]) w();
		},
		async waitFor(pred, ms = 15_000) {
			const until = Date.now() + ms;
			while (!pred()) {
				if (Date.now() > until) throw new Error('timed out waiting for the Bot API stand-in');
				await new Promise((r) => setTimeout(r, 50));
			}
		},
		close: () =>
			new Promise((resolve) => {
				for (const w of [...waiting]) w();
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
	return api;
}
