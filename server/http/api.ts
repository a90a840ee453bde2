/**
 * The HTTP API of CONTRACT.md. Every route names the right it needs; the dispatcher checks it before the
 * handler runs, so a route without a rule cannot exist. Reads are scoped by the caller's token here, on
 * the server, never by the UI.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { canIngest, canRead, isAdmin, resolveScope, type Principal, type Scope } from '../../src/lib/contract/roles.ts';
import { SOURCES } from '../../src/lib/contract/incident.ts';
import { HttpError, forbidden, notFound, sendError, sendJson, unauthorized } from './errors.ts';
import { bodyFormat, parseItems, readBody } from '../ingest/body.ts';
import { validateEvents, validateIncidents } from '../ingest/validate.ts';
import { SpoolFullError } from '../ingest/spool.ts';
import { bearerToken, cookieToken, sameSecret } from '../auth/tokens.ts';
import { decodeCursor, encodeCursor, listIncidents } from '../store/queries/incident-list.ts';
import { incidentDetail } from '../store/queries/incident-detail.ts';
import { repeatWindows } from '../places/windows.ts';
import { placesRoute } from '../places/http.ts';
import type { AppServices } from '../services.ts';
import { errorFields } from '../log.ts';
import { alertLog, alertTest, telegramWebhook } from '../alerts/http.ts';

export type Need = 'none' | 'read' | 'ingest' | 'admin';

/** How long a read waits for acknowledged rows to reach the store. */
const READ_SETTLE_MS = 2000;

export interface RouteContext {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	params: string[];
	principal: Principal | null;
	services: AppServices;
}

export interface Route {
	method: 'GET' | 'POST';
	/** A readable path for tables and tests, e.g. `/api/v1/incidents/:id`. */
	path: string;
	pattern: RegExp;
	need: Need;
	handle(ctx: RouteContext): Promise<void>;
}

const ReadQuery = z.object({
	district: z.string().max(64).optional(),
	status: z.enum(['open', 'overdue', 'all']).default('all'),
	category: z.string().max(64).optional(),
	source: z.enum(SOURCES).optional(),
	from: z.iso.datetime({ offset: true }).optional(),
	to: z.iso.datetime({ offset: true }).optional(),
	limit: z.coerce.number().int().min(1).max(200).default(50),
	cursor: z.string().max(400).optional()
});

function scopeOf(ctx: RouteContext, requested: string | null): Scope {
	const scope = resolveScope(ctx.principal!, requested);
	if (scope === 'forbidden') throw forbidden();
	if (scope.district !== null && !ctx.services.city.districts.some((d) => d.code === scope.district) && scope.district !== 'unknown') {
		throw new HttpError(400, 'invalid', `Unknown district "${scope.district}"`, [{ path: 'district', message: 'is not a district of this city' }]);
	}
	return scope;
}

function queryObject(url: URL): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [k, v] of url.searchParams) out[k] = v;
	return out;
}

function invalidQuery(error: z.ZodError): HttpError {
	return new HttpError(
		400,
		'invalid',
		'Invalid query parameters',
		error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
	);
}

async function ingest(ctx: RouteContext, kind: 'incidents' | 'events'): Promise<void> {
	const { services } = ctx;
	const key = bearerToken(ctx.req.headers.authorization) ?? 'anonymous';
	if (!services.ingestLimiter.take(key)) {
		throw new HttpError(429, 'rate_limited', 'Too many ingest requests; retry later', undefined, {
			'retry-after': String(services.ingestLimiter.retryAfter(key))
		});
	}
	const format = bodyFormat(ctx.req.headers['content-type']);
	const items = parseItems(await readBody(ctx.req), format);
	const route = `/api/v1/${kind}`;
	try {
		const result =
			kind === 'incidents'
				? await submit(validateIncidents(items, services.city), (v) => services.pipeline.submitIncidents(v))
				: await submit(validateEvents(items), (v) => services.pipeline.submitEvents(v));
		services.metrics.ingestRequests.inc({ route, status: '202' });
		sendJson(ctx.res, 202, result);
	} catch (e) {
		if (e instanceof SpoolFullError) {
			throw new HttpError(503, 'unavailable', `The store is down and the spool cannot take more: ${e.message}`, undefined, { 'retry-after': '5' });
		}
		throw e;
	}
}

async function submit<T, R>(v: { ok: true; items: T[] } | { ok: false; details: { index?: number; path: string; message: string }[] }, run: (items: T[]) => Promise<R>): Promise<R> {
	if (!v.ok) throw new HttpError(400, 'invalid', 'The batch is invalid; nothing was stored', v.details);
	return run(v.items);
}

export const ROUTES: Route[] = [
	{ method: 'GET', path: '/healthz', pattern: /^\/healthz$/, need: 'none', handle: async ({ res }) => sendJson(res, 200, { ok: true }) },
	{
		method: 'GET',
		path: '/readyz',
		pattern: /^\/readyz$/,
		need: 'none',
		handle: async ({ res, services }) => {
			const reachable = await services.storeReachable();
			const writable = reachable && services.pipeline.storeUp;
			const spool = services.pipeline.spoolDepth;
			// Ready while the store answers; batches waiting in the spool and a broken tokens edit (the last good
			// tokens stay in force) are reported, not fatal.
			const tokens = services.tokens.problem;
			sendJson(res, reachable ? 200 : 503, {
				ready: reachable,
				store: writable ? 'up' : reachable ? 'degraded' : 'down',
				spool,
				tokens: tokens === null ? 'ok' : { error: tokens }
			});
		}
	},
	{
		method: 'GET',
		path: '/metrics',
		pattern: /^\/metrics$/,
		need: 'none',
		handle: async ({ req, res, services }) => {
			const required = services.config.metricsToken;
			if (required !== null && !sameSecret(bearerToken(req.headers.authorization), required)) throw unauthorized();
			const body = await services.metrics.registry.metrics();
			res.writeHead(200, { 'content-type': services.metrics.registry.contentType });
			res.end(body);
		}
	},
	{ method: 'POST', path: '/api/v1/incidents', pattern: /^\/api\/v1\/incidents$/, need: 'ingest', handle: (ctx) => ingest(ctx, 'incidents') },
	{ method: 'POST', path: '/api/v1/events', pattern: /^\/api\/v1\/events$/, need: 'ingest', handle: (ctx) => ingest(ctx, 'events') },
	{
		method: 'GET',
		path: '/api/v1/snapshot',
		pattern: /^\/api\/v1\/snapshot$/,
		need: 'read',
		handle: async (ctx) => {
			const scope = scopeOf(ctx, ctx.url.searchParams.get('district') || null);
			sendJson(ctx.res, 200, await ctx.services.snapshot(scope));
		}
	},
	{
		method: 'GET',
		path: '/api/v1/incidents',
		pattern: /^\/api\/v1\/incidents$/,
		need: 'read',
		handle: async (ctx) => {
			const q = ReadQuery.safeParse(queryObject(ctx.url));
			if (!q.success) throw invalidQuery(q.error);
			const scope = scopeOf(ctx, q.data.district ?? null);
			const cursor = q.data.cursor ? decodeCursor(q.data.cursor) : null;
			if (q.data.cursor && !cursor) throw new HttpError(400, 'invalid', 'Invalid cursor', [{ path: 'cursor', message: 'is not a cursor this API gave' }]);
			const page = await ctx.services.metrics.timeQuery('incident_list', () =>
				listIncidents(ctx.services.store, {
					district: scope.district,
					status: q.data.status,
					category: q.data.category ?? null,
					source: q.data.source ?? null,
					from: q.data.from ? new Date(q.data.from) : null,
					to: q.data.to ? new Date(q.data.to) : null,
					limit: q.data.limit,
					cursor,
					now: ctx.services.now()
				}, repeatWindows(ctx.services.city))
			);
			sendJson(ctx.res, 200, { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null });
		}
	},
	{
		method: 'GET',
		path: '/api/v1/incidents/:id',
		pattern: /^\/api\/v1\/incidents\/([^/]{1,400})$/,
		need: 'read',
		handle: async (ctx) => {
			let id: string;
			try {
				id = decodeURIComponent(ctx.params[0]!);
			} catch {
				throw notFound('No such incident');
			}
			const detail = id.length <= 128 ? await incidentDetail(ctx.services.store, id, ctx.services.now(), repeatWindows(ctx.services.city), ctx.principal!.district) : null;
			// Another district's incident is "not found" for a district token: its existence is not disclosed.
			if (!detail || (ctx.principal!.district !== null && detail.district !== ctx.principal!.district)) throw notFound('No such incident');
			sendJson(ctx.res, 200, detail);
		}
	},
	{
		method: 'GET',
		path: '/api/v1/places',
		pattern: /^\/api\/v1\/places$/,
		need: 'read',
		handle: (ctx) => placesRoute(ctx, (requested) => scopeOf(ctx, requested), invalidQuery)
	},
	{
		method: 'GET',
		path: '/api/v1/city',
		pattern: /^\/api\/v1\/city$/,
		need: 'read',
		handle: async ({ res, services }) => sendJson(res, 200, { ...services.cityPublic, tile_url: services.config.tileUrl })
	},
	{ method: 'GET', path: '/api/v1/reports', pattern: /^\/api\/v1\/reports$/, need: 'read', handle: (ctx) => delegateReports(ctx) },
	{ method: 'POST', path: '/api/v1/reports', pattern: /^\/api\/v1\/reports$/, need: 'admin', handle: (ctx) => delegateReports(ctx) },
	{
		method: 'GET',
		path: '/api/v1/reports/:id/:file',
		pattern: /^\/api\/v1\/reports\/([A-Za-z0-9_-]{1,80})\/([A-Za-z0-9_.-]{1,80})$/,
		need: 'read',
		handle: (ctx) => delegateReports(ctx)
	},
	// Outbound alerts (server/alerts/http.ts).
	{ method: 'GET', path: '/api/v1/alerts', pattern: /^\/api\/v1\/alerts$/, need: 'admin', handle: (ctx) => alertLog(ctx.res, ctx.services.alerts) },
	{ method: 'POST', path: '/api/v1/alerts/test', pattern: /^\/api\/v1\/alerts\/test$/, need: 'admin', handle: (ctx) => alertTest(ctx.req, ctx.res, ctx.services.alerts) },
	// Telegram's webhook (webhook mode): authenticated by the secret token given to setWebhook, not a product token.
	{ method: 'POST', path: '/api/v1/alerts/telegram/:bot', pattern: /^\/api\/v1\/alerts\/telegram\/(\d{1,20})$/, need: 'none', handle: (ctx) => telegramWebhook(ctx.req, ctx.res, ctx.params[0]!, ctx.services.alerts) }
];

async function delegateReports(ctx: RouteContext): Promise<void> {
	const handled = await ctx.services.reports.handle(ctx.req, ctx.res, ctx.principal!, ctx.url);
	if (!handled) throw notFound();
}

function allowed(need: Need, p: Principal | null): boolean {
	if (need === 'none') return true;
	if (!p) return false;
	if (need === 'read') return canRead(p);
	if (need === 'ingest') return canIngest(p);
	return isAdmin(p);
}

/** Handles the request when it is an API route; false lets the pages handle it. */
export async function handleApi(req: IncomingMessage, res: ServerResponse, services: AppServices): Promise<boolean> {
	const url = new URL(req.url ?? '/', 'http://localhost');
	const path = url.pathname;
	const isApi = path.startsWith('/api/') || path === '/healthz' || path === '/readyz' || path === '/metrics';
	if (!isApi) return false;
	// Metric labels name known routes only: a request to an unknown path must not create a series.
	let label = 'unmatched';
	try {
		const candidates = ROUTES.filter((r) => r.pattern.test(path));
		if (candidates.length === 0) throw notFound('No such route');
		const route = candidates.find((r) => r.method === req.method);
		if (route) label = route.path;
		if (!route) throw new HttpError(405, 'method_not_allowed', `Use ${candidates.map((r) => r.method).join(' or ')}`, undefined, { allow: candidates.map((r) => r.method).join(', ') });
		let principal: Principal | null = null;
		if (route.need !== 'none') {
			// The page cookie counts for reads only: a cross-site form can never write with it.
			const token = bearerToken(req.headers.authorization) ?? (req.method === 'GET' ? cookieToken(req.headers.cookie) : null);
			principal = services.tokens.resolve(token);
			if (!principal) throw unauthorized();
			if (!allowed(route.need, principal)) throw forbidden();
		}
		const params = route.pattern.exec(path)!.slice(1);
		// Read your writes: a read waits (briefly) until what was acknowledged before it is in the store.
		if (route.need === 'read' && req.method === 'GET') await services.pipeline.settled(READ_SETTLE_MS);
		await route.handle({ req, res, url, params, principal, services });
	} catch (e) {
		if (e instanceof HttpError) {
			if (e.status >= 400 && req.method === 'POST') services.metrics.ingestRequests.inc({ route: label, status: String(e.status) });
			// The rest of an over-large or refused body is not read: close the connection after answering.
			if (!req.complete) res.setHeader('connection', 'close');
			sendError(res, e);
		} else {
			services.logger.error(errorFields(e), `API error on ${req.method} ${label}`);
			sendError(res, new HttpError(500, 'internal', 'Internal error'));
		}
	}
	return true;
}
