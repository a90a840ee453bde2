/**
 * One API route as a declarative entry: method, path, the right it needs, its zod schemas and a handler.
 * The router (router.ts) checks the right before anything else, validates with the schemas and writes
 * errors in the contract's envelope; OpenAPI is generated from the same schemas. Adding a route is adding
 * one `defineRoute({...})` to a list in ROUTES (api.ts) and a row to tests/access/http-routes.test.ts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../../src/lib/contract/roles.ts';
import { ErrorBodySchema, detailOfIssue } from '../../src/lib/contract/errors.ts';
import type { AppServices } from '../services.ts';
import { invalid, type HttpError } from './errors.ts';

/** none: anyone; read: readers (admin, wall, district); ingest: admin and ingest tokens; admin: admin only. */
export type Need = 'none' | 'read' | 'ingest' | 'admin';

/**
 * How a POST body is read. `items`: an ingest batch, JSON or NDJSON, at most 10 MB / 10 000 items (parsed by
 * server/ingest/body.ts, handed over as an array). `json`: one small JSON document of any declared type.
 */
export type BodyKind = 'items' | 'json';

/** A response: a zod schema of a JSON body, or the media types of a file. */
export type ResponseSpec = z.ZodType | { description: string; content: Record<string, { schema: z.ZodType }> };

export interface RouteContext<Q, P, B> {
	query: Q;
	params: P;
	body: B;
	/** The items of an ingest batch (`batch` routes); empty on the others. */
	items: unknown[];
	/** Null only on `need: 'none'` routes. */
	principal: Principal | null;
	services: AppServices;
	request: FastifyRequest;
	reply: FastifyReply;
}

export interface RouteDef<Q extends z.ZodType, P extends z.ZodType, B extends z.ZodType> {
	method: 'GET' | 'POST';
	/** Fastify's path syntax, e.g. `/api/v1/incidents/:id`; also the key of the route × role table. */
	path: string;
	need: Need;
	summary: string;
	tags: string[];
	querystring?: Q;
	params?: P;
	/** A small JSON body (any declared media type), validated by this schema. */
	body?: B;
	/** An ingest batch of items of this schema (JSON object, array or NDJSON); validated by the handler, item by item. */
	batch?: z.ZodType;
	/** The message of a 400 when the query, params or body do not fit their schema. */
	invalidMessage?: string;
	/** Status → schema; the OpenAPI document and the contract test take them from here. */
	response: Record<number, ResponseSpec>;
	/** Left out of the OpenAPI document (the docs page's own files). */
	hide?: boolean;
	/** Returns the JSON body of a 200 (or sends the reply itself and returns the reply). */
	handle(ctx: RouteContext<z.output<Q>, z.output<P>, z.output<B>>): Promise<unknown>;
}

/** A route with its types erased, as the router and the access tests see it. */
export interface ApiRoute {
	method: 'GET' | 'POST';
	path: string;
	need: Need;
	summary: string;
	tags: string[];
	schema: { querystring?: z.ZodType; params?: z.ZodType; body?: z.ZodType; consumes?: string[]; response: Record<number | 'default', ResponseSpec> };
	bodyKind: BodyKind | null;
	hide: boolean;
	run(ctx: RouteContext<unknown, unknown, unknown>): Promise<unknown>;
}

function parsePart<S extends z.ZodType>(schema: S | undefined, value: unknown, message: string): z.output<S> | undefined {
	if (!schema) return undefined;
	const r = schema.safeParse(value);
	if (!r.success) throw invalidOf(r.error, message);
	return r.data;
}

function invalidOf(error: z.ZodError, message: string): HttpError {
	return invalid(message, error.issues.map((i) => detailOfIssue(i)));
}

export function defineRoute<Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined, B extends z.ZodType = z.ZodUndefined>(
	def: RouteDef<Q, P, B>
): ApiRoute {
	const message = def.invalidMessage ?? 'Invalid request';
	return {
		method: def.method,
		path: def.path,
		need: def.need,
		summary: def.summary,
		tags: def.tags,
		// Only the parts a route has: the framework warns about a part given as undefined.
		schema: {
			...(def.querystring ? { querystring: def.querystring } : {}),
			...(def.params ? { params: def.params } : {}),
			// A batch is one object, an array, or NDJSON (one object a line, each of the item schema).
			...(def.batch ? { body: z.union([def.batch, z.array(def.batch).max(10_000)]), consumes: ['application/json', 'application/x-ndjson'] } : {}),
			...(def.body ? { body: def.body } : {}),
			// Every failure, whatever its status, is the contract's error envelope.
			response: { ...def.response, default: ErrorBodySchema }
		},
		bodyKind: def.batch ? 'items' : def.body ? 'json' : null,
		hide: def.hide ?? false,
		// The schemas are applied here, not by the framework, so every 400 keeps the contract's envelope and message.
		run: (ctx) =>
			def.handle({
				...ctx,
				query: parsePart(def.querystring, ctx.query, 'Invalid query parameters') as z.output<Q>,
				params: parsePart(def.params, ctx.params, message) as z.output<P>,
				body: parsePart(def.body, ctx.body, message) as z.output<B>
			})
	};
}
