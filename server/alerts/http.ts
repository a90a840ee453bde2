/** The alert routes of the API: `GET /api/v1/alerts` (the log) and `POST /api/v1/alerts/test`. Admin only (api.ts checks). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { HttpError, sendJson } from '../http/errors.ts';
import { readBody } from '../ingest/body.ts';
import type { Alerts } from './index.ts';

const TestBody = z.object({ contact: z.string().min(1).max(64) }).strict();

function notConfigured(): HttpError {
	return new HttpError(404, 'not_found', 'Outbound alerts are not configured (MCU_ALERTS_FILE is unset)');
}

export async function alertLog(res: ServerResponse, alerts: Alerts | null): Promise<void> {
	if (!alerts) throw notConfigured();
	sendJson(res, 200, alerts.view());
}

export async function alertTest(req: IncomingMessage, res: ServerResponse, alerts: Alerts | null): Promise<void> {
	if (!alerts) throw notConfigured();
	let raw: unknown;
	try {
		raw = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8'));
	} catch {
		throw new HttpError(400, 'invalid', 'The body is not JSON', [{ path: '', message: 'expected {"contact":"<name>"}' }]);
	}
	const body = TestBody.safeParse(raw);
	if (!body.success) throw new HttpError(400, 'invalid', 'Invalid body', body.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
	const outcome = await alerts.test(body.data.contact);
	if (!outcome) throw new HttpError(404, 'not_found', `No contact point "${body.data.contact}" in the alerts file`, [{ path: 'contact', message: 'unknown contact' }]);
	sendJson(res, outcome.delivered ? 200 : 502, outcome);
}

/**
 * Telegram's webhook call (webhook mode). No product token: Telegram proves itself with the secret token
 * of setWebhook. Answered 200 once handled (Telegram retries anything else), 401 for a wrong secret.
 */
export async function telegramWebhook(req: IncomingMessage, res: ServerResponse, botId: string, alerts: Alerts | null): Promise<void> {
	if (!alerts) throw notConfigured();
	let update: unknown;
	try {
		update = JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8'));
	} catch {
		throw new HttpError(400, 'invalid', 'The body is not JSON');
	}
	const secret = req.headers['x-telegram-bot-api-secret-token'];
	const ok = await alerts.telegramUpdate(botId, typeof secret === 'string' ? secret : undefined, update);
	if (!ok) throw new HttpError(401, 'unauthorized', 'Unknown bot or wrong secret token');
	sendJson(res, 200, { ok: true });
}
