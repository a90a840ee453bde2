/**
 * The one router: Fastify carries the API (ROUTES), its OpenAPI document and the SvelteKit pages, on the
 * application's own http.Server (Socket.IO shares it). Before every handler: the route's right against the
 * caller's token, then the body (ingest batches through server/ingest/body.ts); every error leaves in the
 * contract's envelope.
 */
import type http from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { canIngest, canRead, isAdmin, type Principal } from '../../src/lib/contract/roles.ts';
import { BODY_TYPES, MAX_BODY_BYTES, parseItems, tooLarge, unsupportedType, type BodyFormat } from '../ingest/body.ts';
import { bearerToken, cookieToken } from '../auth/tokens.ts';
import type { AppServices } from '../services.ts';
import { errorFields } from '../log.ts';
import { ROUTES } from './api.ts';
import type { ApiRoute, Need } from './route.ts';
import { BodyError, HttpError, envelope, forbidden, fromBodyError, notFound, unauthorized } from './errors.ts';

export type PageHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

declare module 'fastify' {
	interface FastifyContextConfig {
		/** The route of the API table this Fastify route serves (absent on the pages' catch-all). */
		api?: ApiRoute;
	}
	interface FastifyRequest {
		principal: Principal | null;
	}
}

/** Paths the API answers (404/405 in the envelope); every other path belongs to the pages. */
export function isApiPath(pathname: string): boolean {
	return pathname.startsWith('/api/') || pathname === '/api' || pathname === '/healthz' || pathname === '/readyz' || pathname === '/metrics';
}

/** How long a read waits for acknowledged rows to reach the store. */
const READ_SETTLE_MS = 2000;

function allowed(need: Need, p: Principal | null): boolean {
	if (need === 'none') return true;
	if (!p) return false;
	if (need === 'read') return canRead(p);
	if (need === 'ingest') return canIngest(p);
	return isAdmin(p);
}

/** `/api/v1/incidents/:id` → a pattern for the 405 check (which methods a path has). */
const patternOf = (path: string) => new RegExp(`^${path.replace(/:[a-z]+/gi, '[^/]+')}$`);
const PATTERNS = ROUTES.map((r) => ({ route: r, pattern: patternOf(r.path) }));

/** The answer for a path no route took: 405 with `allow` when the path exists with another method, else 404. */
function unmatched(pathname: string): HttpError {
	const methods = [...new Set(PATTERNS.filter((p) => p.pattern.test(pathname)).map((p) => p.route.method))];
	if (methods.length === 0) return notFound('No such route');
	return new HttpError(405, 'method_not_allowed', `Use ${methods.join(' or ')}`, undefined, { allow: methods.join(', ') });
}

function toHttpError(e: unknown): HttpError | null {
	if (e instanceof HttpError) return e;
	if (e instanceof BodyError) return fromBodyError(e);
	const fe = e as { code?: string; statusCode?: number; message?: string };
	if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fromBodyError(tooLarge());
	if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return fromBodyError(unsupportedType());
	if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) return new HttpError(fe.statusCode, 'bad_request', String(fe.message ?? 'Bad request').slice(0, 200));
	return null;
}

function sendError(request: FastifyRequest, reply: FastifyReply, services: AppServices, e: unknown): FastifyReply {
	const err = toHttpError(e);
	if (!err) {
		services.logger.error(errorFields(e), `API error on ${request.method} ${request.routeOptions.config.api?.path ?? 'unmatched'}`);
		return reply.code(500).send(envelope(new HttpError(500, 'internal', 'Internal error')));
	}
	// Metric labels name known routes only: a request to an unknown path must not create a series.
	if (request.method === 'POST') services.metrics.ingestRequests.inc({ route: request.routeOptions.config.api?.path ?? 'unmatched', status: String(err.status) });
	// The rest of an over-large or refused body is not read: close the connection after answering.
	if (!request.raw.complete) reply.header('connection', 'close');
	return reply.code(err.status).headers(err.headers).send(envelope(err));
}

/** Ingest batches: the body as bytes up to the limit, then items (JSON or NDJSON); nothing else is taken. */
function batchParsers(scope: FastifyInstance): void {
	scope.removeAllContentTypeParsers();
	for (const [type, format] of Object.entries(BODY_TYPES) as [string, BodyFormat][]) {
		scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => {
			try {
				done(null, parseItems(body as Buffer, format));
			} catch (e) {
				done(e as Error, undefined);
			}
		});
	}
}

/** A small JSON document, whatever media type it is declared as (as before the router: reports' requests). */
function jsonParser(scope: FastifyInstance): void {
	scope.removeAllContentTypeParsers();
	scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
		try {
			done(null, JSON.parse(body as string));
		} catch {
			done(new HttpError(400, 'invalid', 'The body is not JSON'), undefined);
		}
	});
}

function register(scope: FastifyInstance, route: ApiRoute, services: AppServices): void {
	if (route.bodyKind === 'items') batchParsers(scope);
	if (route.bodyKind === 'json') jsonParser(scope);
	scope.route({
		method: route.method,
		url: route.path,
		schema: { ...route.schema, summary: route.summary, tags: route.tags, hide: route.hide, ...(route.need === 'none' ? {} : { security: [{ bearer: [] }] }) },
		config: { api: route },
		onRequest: route.bodyKind === 'items' ? [(request, reply) => rateLimit(request, services)] : [],
		handler: async (request, reply) => {
			// No body at all where a batch is expected: the media type is missing.
			if (route.bodyKind === 'items' && !Array.isArray(request.body)) throw unsupportedType();
			const items = route.bodyKind === 'items' ? (request.body as unknown[]) : [];
			// Read your writes: a read first waits (briefly) until what was acknowledged before it is stored.
			if (route.need === 'read' && route.method === 'GET') await services.pipeline.settled(READ_SETTLE_MS);
			return route.run({ query: request.query, params: request.params, body: request.body, items, principal: request.principal, services, request, reply });
		}
	});
}

async function rateLimit(request: FastifyRequest, services: AppServices): Promise<void> {
	const key = bearerToken(request.headers.authorization) ?? 'anonymous';
	if (!services.ingestLimiter.take(key)) {
		throw new HttpError(429, 'rate_limited', 'Too many ingest requests; retry later', undefined, {
			'retry-after': String(services.ingestLimiter.retryAfter(key))
		});
	}
}

export interface RouterOptions {
	/** The built SvelteKit handler for every non-API path; without it those paths are a plain 404. */
	pages: PageHandler | null;
}

export async function createRouter(services: AppServices, opts: RouterOptions): Promise<FastifyInstance> {
	const app = Fastify({
		logger: false,
		exposeHeadRoutes: false,
		// Ids are at most 128 characters; encoded they may be longer (the old router's 400).
		routerOptions: {
			maxParamLength: 400,
			// A repeated query parameter keeps its last value, as URLSearchParams reads it.
			querystringParser: (s) => Object.fromEntries(new URLSearchParams(s))
		},
		frameworkErrors: (error, request, reply) => {
			void sendError(request, reply, services, error.code === 'FST_ERR_BAD_URL' ? notFound() : error);
		}
	});
	app.decorateRequest('principal', null);
	// Schemas are applied by each route (route.ts) so a 400 keeps the contract's envelope; the framework only
	// reads them for OpenAPI. Bodies are written as JSON as they are.
	app.setValidatorCompiler(() => (data) => ({ value: data }));
	app.setSerializerCompiler(() => (data) => JSON.stringify(data));
	await app.register(fastifySwagger, {
		openapi: {
			openapi: '3.1.0',
			info: { title: 'MCU Pulse API', version: services.version, description: 'The HTTP API of the Municipal Control Centre dashboard (CONTRACT.md). Errors: {"error":{"code","message","details":[{"index","path","message"}]}}.' },
			components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An access token of the tokens file; pages send it as the mcu_token cookie (GET only)' } } }
		},
		transform: jsonSchemaTransform,
		transformObject: jsonSchemaTransformObject
	});
	// Bodies no route reads (unknown paths, pages) are left in the stream: the pages read their own.
	app.removeAllContentTypeParsers();
	app.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));

	// The route × role table, before anything else of the request is looked at.
	app.addHook('onRequest', async (request) => {
		const route = request.routeOptions.config.api;
		if (!route || route.need === 'none') return;
		// The page cookie counts for reads only: a cross-site form can never write with it.
		const token = bearerToken(request.headers.authorization) ?? (request.method === 'GET' ? cookieToken(request.headers.cookie) : null);
		const principal = services.tokens.resolve(token);
		if (!principal) throw unauthorized();
		if (!allowed(route.need, principal)) throw forbidden();
		request.principal = principal;
	});
	app.addHook('onSend', async (request, reply) => {
		if (!request.routeOptions.config.api && reply.statusCode < 400) return;
		if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
		reply.header('x-content-type-options', 'nosniff');
	});
	app.setErrorHandler((error, request, reply) => sendError(request, reply, services, error));
	app.setNotFoundHandler((request, reply) => sendUnmatched(request, reply, services));

	for (const route of ROUTES) await app.register(async (scope) => register(scope, route, services));

	if (opts.pages) {
		const pages = opts.pages;
		app.route({
			method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
			url: '/*',
			schema: { hide: true },
			handler: (request, reply) => {
				if (isApiPath(pathOf(request))) return sendUnmatched(request, reply, services);
				// SvelteKit answers on the raw request: its hooks, cookies and CSP are as without the router.
				reply.hijack();
				pages(request.raw, reply.raw, () => notFoundPage(reply.raw));
			}
		});
	}
	await app.ready();
	return app;
}

const pathOf = (request: FastifyRequest) => request.url.split('?')[0]!;

function sendUnmatched(request: FastifyRequest, reply: FastifyReply, services: AppServices): FastifyReply | void {
	const path = pathOf(request);
	if (isApiPath(path)) return sendError(request, reply, services, unmatched(path));
	reply.hijack();
	notFoundPage(reply.raw);
}

function notFoundPage(res: http.ServerResponse): void {
	res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
	res.end('Страница не найдена');
}

/** Serves `server`'s requests with the router once it is built (its own server: tests, `npm start`). */
export function serveWith(server: http.Server, router: () => FastifyInstance | null): void {
	server.on('request', (req, res) => {
		const r = router();
		if (r) return r.routing(req, res);
		res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
		res.end('Starting');
	});
}
