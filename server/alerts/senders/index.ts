/**
 * Contact-point senders: each turns one message (one alert, or a digest of several) into a request of its
 * protocol and either resolves (delivered) or throws a SendError (retry later, maybe after `retryAfterMs`).
 */
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { ContactPoint, EmailContactPoint, TelegramContactPoint, WebhookContactPoint } from '../config.ts';
import { isAckable, type Alert, type DeliveryState } from '../model.ts';
import { digestText, plainText, telegramText, webhookBody, type MessageContext } from '../messages.ts';
import { TelegramError, telegramClient } from './telegram-api.ts';

export class SendError extends Error {
	constructor(
		message: string,
		readonly retryAfterMs: number | null = null
	) {
		super(message);
	}
}

export type SendResult = { ref: DeliveryState['ref'] };

export const ACK_BUTTON = 'Принято в работу';

export function callbackData(alertId: string): string {
	return `a:${alertId}`;
}

export interface Senders {
	send(contact: ContactPoint, alerts: Alert[], digest: boolean): Promise<SendResult>;
	close(): void;
}

export function createSenders(ctx: MessageContext, telegramApiRoot: string): Senders {
	const mailers = new Map<string, Transporter>();

	async function telegram(c: TelegramContactPoint, alerts: Alert[], digest: boolean): Promise<SendResult> {
		const single = !digest && alerts.length === 1 ? alerts[0]! : null;
		const text = single ? telegramText(single, ctx) : digestText(alerts, ctx, true);
		const body: Record<string, unknown> = { chat_id: c.chat_id, text, parse_mode: 'HTML', link_preview_options: { is_disabled: true } };
		if (single && isAckable(single)) body.reply_markup = { inline_keyboard: [[{ text: ACK_BUTTON, callback_data: callbackData(single.id) }]] };
		try {
			const msg = await telegramClient(telegramApiRoot, c.bot_token).call<{ message_id: number; chat: { id: number | string } }>('sendMessage', body);
			return { ref: { chat_id: String(msg.chat?.id ?? c.chat_id), message_id: msg.message_id } };
		} catch (e) {
			if (e instanceof TelegramError) throw new SendError(e.message, e.retryAfterS !== null ? e.retryAfterS * 1000 : null);
			throw e;
		}
	}

	async function webhook(c: WebhookContactPoint, alerts: Alert[]): Promise<SendResult> {
		const raw = webhookBody(alerts, ctx);
		const sig = crypto.createHmac('sha256', c.secret).update(raw).digest('hex');
		let res: Response;
		try {
			res = await fetch(c.url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-mcu-signature': `sha256=${sig}`, 'x-mcu-alert-id': alerts.map((a) => a.id).join(',') },
				body: raw,
				signal: AbortSignal.timeout(c.timeout_ms)
			});
		} catch (e) {
			throw new SendError(`webhook unreachable: ${((e as Error).cause as Error)?.message ?? (e as Error).message}`);
		}
		await res.arrayBuffer().catch(() => undefined);
		if (res.status === 429 || res.status === 503) {
			const ra = Number(res.headers.get('retry-after'));
			throw new SendError(`webhook answered ${res.status}`, Number.isFinite(ra) && ra > 0 ? ra * 1000 : null);
		}
		if (!res.ok) throw new SendError(`webhook answered ${res.status}`);
		return { ref: null };
	}

	async function email(c: EmailContactPoint, alerts: Alert[], digest: boolean): Promise<SendResult> {
		let mailer = mailers.get(c.smtp_url);
		if (!mailer) {
			mailer = nodemailer.createTransport(c.smtp_url, { connectionTimeout: 10_000, socketTimeout: 20_000 } as never);
			mailers.set(c.smtp_url, mailer);
		}
		const msg = !digest && alerts.length === 1 ? plainText(alerts[0]!, ctx) : { subject: `МЦУ Пульс: сводка, ${alerts.length} оповещ.`, text: digestText(alerts, ctx, false) };
		try {
			await mailer.sendMail({ from: c.from, to: c.to, subject: msg.subject, text: msg.text, headers: { 'X-MCU-Alert-Id': alerts.map((a) => a.id).join(',') } });
		} catch (e) {
			throw new SendError(`SMTP: ${(e as Error).message}`);
		}
		return { ref: null };
	}

	return {
		send(contact, alerts, digest) {
			if (contact.type === 'telegram') return telegram(contact, alerts, digest);
			if (contact.type === 'webhook') return webhook(contact, alerts);
			return email(contact, alerts, digest);
		},
		close() {
			for (const m of mailers.values()) m.close();
			mailers.clear();
		}
	};
}
