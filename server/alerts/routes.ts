/**
 * The alert routes of the API: `GET /api/v1/alerts` (the log) and `POST /api/v1/alerts/test` (admin), and
 * Telegram's webhook call in webhook mode (no product token: Telegram proves itself with setWebhook's secret).
 */
import { z } from 'zod';
import { AlertsViewSchema, AlertTestOutcomeSchema, AlertTestRequestSchema } from '../../src/lib/contract/alerts.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError } from '../http/errors.ts';
import type { Alerts } from './index.ts';

function configured(alerts: Alerts | null): Alerts {
	if (!alerts) throw new HttpError(404, 'not_found', 'Outbound alerts are not configured (MCU_ALERTS_FILE is unset)');
	return alerts;
}

export const alertRoutes = [
	defineRoute({
		method: 'GET',
		path: '/api/v1/alerts',
		need: 'admin',
		summary: 'The outbound alert log: each alert, where it went, attempts, outcome, acceptance (404 without MCU_ALERTS_FILE)',
		tags: ['alerts'],
		response: { 200: AlertsViewSchema },
		handle: async ({ services }) => configured(services.alerts).view()
	}),
	defineRoute({
		method: 'POST',
		path: '/api/v1/alerts/test',
		need: 'admin',
		summary: 'Sends a test message through one contact point: 200 when delivered, 502 with the error when not',
		tags: ['alerts'],
		body: AlertTestRequestSchema,
		invalidMessage: 'Invalid body',
		response: { 200: AlertTestOutcomeSchema, 502: AlertTestOutcomeSchema },
		handle: async ({ body, services, reply }) => {
			const outcome = await configured(services.alerts).test(body.contact);
			if (!outcome) throw new HttpError(404, 'not_found', `No contact point "${body.contact}" in the alerts file`, [{ path: 'contact', message: 'unknown contact' }]);
			reply.code(outcome.delivered ? 200 : 502);
			return outcome;
		}
	}),
	defineRoute({
		method: 'POST',
		path: '/api/v1/alerts/telegram/:bot',
		need: 'none',
		summary: "Telegram's webhook (webhook mode): checked by the secret token of setWebhook, 401 when it is wrong",
		tags: ['alerts'],
		params: z.object({ bot: z.string().regex(/^\d{1,20}$/) }),
		body: z.unknown(),
		response: { 200: z.object({ ok: z.literal(true) }) },
		handle: async ({ params, body, request, services }) => {
			const secret = request.headers['x-telegram-bot-api-secret-token'];
			const ok = await configured(services.alerts).telegramUpdate(params.bot, typeof secret === 'string' ? secret : undefined, body);
			if (!ok) throw new HttpError(401, 'unauthorized', 'Unknown bot or wrong secret token');
			return { ok: true as const };
		}
	})
];
