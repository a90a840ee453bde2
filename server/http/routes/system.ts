/** Health, readiness, metrics, and the API's own description (OpenAPI document and its readable page). */
import { z } from 'zod';
import { bearerToken, sameSecret } from '../../auth/tokens.ts';
import { defineRoute } from '../route.ts';
import { notFound, unauthorized } from '../errors.ts';
import { DOCS_CSP, DOCS_HTML, docsAsset } from '../docs-page.ts';

const ReadySchema = z.object({
	ready: z.boolean(),
	store: z.enum(['up', 'degraded', 'down']),
	spool: z.object({ entries: z.number(), bytes: z.number() }),
	tokens: z.union([z.literal('ok'), z.object({ error: z.string() })])
});

const text = (description: string, type: string) => ({ description, content: { [type]: { schema: z.string() } } });

export const systemRoutes = [
	defineRoute({
		method: 'GET',
		path: '/healthz',
		need: 'none',
		summary: 'The process is alive',
		tags: ['system'],
		response: { 200: z.object({ ok: z.literal(true) }) },
		handle: async () => ({ ok: true })
	}),
	defineRoute({
		method: 'GET',
		path: '/readyz',
		need: 'none',
		summary: 'Ready while the store answers (503 when it does not)',
		tags: ['system'],
		response: { 200: ReadySchema, 503: ReadySchema },
		handle: async ({ services, reply }) => {
			const reachable = await services.storeReachable();
			const writable = reachable && services.pipeline.storeUp;
			// Ready while the store answers; batches waiting in the spool and a broken tokens edit (the last good
			// tokens stay in force) are reported, not fatal.
			const tokens = services.tokens.problem;
			reply.code(reachable ? 200 : 503);
			return {
				ready: reachable,
				store: writable ? 'up' : reachable ? 'degraded' : 'down',
				spool: services.pipeline.spoolDepth,
				tokens: tokens === null ? 'ok' : { error: tokens }
			};
		}
	}),
	defineRoute({
		method: 'GET',
		path: '/metrics',
		need: 'none',
		summary: 'Prometheus metrics (a bearer token when MCU_METRICS_TOKEN is set)',
		tags: ['system'],
		response: { 200: text('Prometheus text format', 'text/plain') },
		handle: async ({ request, reply, services }) => {
			const required = services.config.metricsToken;
			if (required !== null && !sameSecret(bearerToken(request.headers.authorization), required)) throw unauthorized();
			const body = await services.metrics.registry.metrics();
			return reply.type(services.metrics.registry.contentType).send(body);
		}
	}),
	defineRoute({
		method: 'GET',
		path: '/api/v1/openapi.json',
		need: 'none',
		summary: 'This API described as OpenAPI 3.1, generated from the schemas that validate it',
		tags: ['system'],
		response: { 200: z.record(z.string(), z.unknown()) },
		handle: async ({ request }) => request.server.swagger()
	}),
	defineRoute({
		method: 'GET',
		path: '/api/docs',
		need: 'none',
		summary: 'The OpenAPI document as a readable page',
		tags: ['system'],
		response: { 200: text('HTML page', 'text/html') },
		handle: async ({ reply }) => reply.type('text/html; charset=utf-8').header('content-security-policy', DOCS_CSP).send(DOCS_HTML)
	}),
	defineRoute({
		method: 'GET',
		path: '/api/docs/:file',
		need: 'none',
		summary: 'The docs page files',
		tags: ['system'],
		hide: true,
		params: z.object({ file: z.string().max(64) }),
		response: { 200: text('a file of the page', 'application/octet-stream') },
		handle: async ({ params, reply }) => {
			const asset = docsAsset(params.file);
			if (!asset) throw notFound();
			return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
		}
	})
];
