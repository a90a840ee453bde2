/** Ingest (incidents, status events) and the reads: snapshot, incident list and detail, the city. */
import { z } from 'zod';
import {
	IncidentDetailSchema,
	IncidentInputSchema,
	IncidentPageSchema,
	IngestResultSchema,
	SOURCES,
	StatusEventInputSchema
} from '../../../src/lib/contract/incident.ts';
import { SnapshotSchema } from '../../../src/lib/contract/snapshot.ts';
import { CityResponseSchema } from '../../../src/lib/contract/city.ts';
import { resolveScope, type Principal, type Scope } from '../../../src/lib/contract/roles.ts';
import { validateEventsInSlices, validateIncidentsInSlices, type Validation } from '../../ingest/validate.ts';
import { SpoolFullError } from '../../ingest/spool.ts';
import { decodeCursor, encodeCursor, listIncidents } from '../../store/queries/incident-list.ts';
import { incidentDetail } from '../../store/queries/incident-detail.ts';
import { repeatWindows } from '../../places/windows.ts';
import type { AppServices } from '../../services.ts';
import { defineRoute } from '../route.ts';
import { HttpError, forbidden, invalid, notFound } from '../errors.ts';

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

/** The scope a reader asked for, if its token allows it: 403 otherwise, 400 for a district the city lacks. */
export function scopeOf(services: AppServices, principal: Principal, requested: string | null): Scope {
	const scope = resolveScope(principal, requested);
	if (scope === 'forbidden') throw forbidden();
	if (scope.district !== null && !services.city.districts.some((d) => d.code === scope.district) && scope.district !== 'unknown') {
		throw invalid(`Unknown district "${scope.district}"`, [{ path: 'district', message: 'is not a district of this city' }]);
	}
	return scope;
}

/** Stores a valid batch; an invalid one is refused whole, and a full spool is a 503, never a silent drop. */
async function submit<T>(services: AppServices, route: string, v: Validation<T>, run: (items: T[]) => Promise<z.output<typeof IngestResultSchema>>) {
	if (!v.ok) throw invalid('The batch is invalid; nothing was stored', v.details);
	try {
		const result = await run(v.items);
		services.metrics.ingestRequests.inc({ route, status: '202' });
		return result;
	} catch (e) {
		if (e instanceof SpoolFullError) {
			throw new HttpError(503, 'unavailable', `The store is down and the spool cannot take more: ${e.message}`, undefined, { 'retry-after': '5' });
		}
		throw e;
	}
}

const INGEST_ERRORS = 'the batch is refused whole: 400 lists each problem (index, path, message); 413 past 10 MB or 10 000 items; 415 for other media types; 429 with retry-after; 503 with retry-after when the store is down and the spool full';

export const incidentRoutes = [
	defineRoute({
		method: 'POST',
		path: '/api/v1/incidents',
		need: 'ingest',
		summary: `Ingest incidents (JSON object, array or NDJSON); ${INGEST_ERRORS}`,
		tags: ['ingest'],
		batch: IncidentInputSchema,
		response: { 202: IngestResultSchema },
		handle: async ({ items, services, reply }) => {
			reply.code(202);
			const v = await services.pipeline.bulkGate.through(items.length, () => validateIncidentsInSlices(items, services.city));
			return submit(services, '/api/v1/incidents', v, (valid) => services.pipeline.submitIncidents(valid));
		}
	}),
	defineRoute({
		method: 'POST',
		path: '/api/v1/events',
		need: 'ingest',
		summary: `Ingest status events (JSON object, array or NDJSON); ${INGEST_ERRORS}`,
		tags: ['ingest'],
		batch: StatusEventInputSchema,
		response: { 202: IngestResultSchema },
		handle: async ({ items, services, reply }) => {
			reply.code(202);
			const v = await services.pipeline.bulkGate.through(items.length, () => validateEventsInSlices(items));
			return submit(services, '/api/v1/events', v, (valid) => services.pipeline.submitEvents(valid));
		}
	}),
	defineRoute({
		method: 'GET',
		path: '/api/v1/snapshot',
		need: 'read',
		summary: "The reader's snapshot: KPIs, districts, trends, hotspots, feed (a district token gets its district)",
		tags: ['read'],
		querystring: z.object({ district: z.string().max(64).optional() }),
		response: { 200: SnapshotSchema },
		handle: async ({ query, services, principal }) => services.snapshot(scopeOf(services, principal!, query.district || null))
	}),
	defineRoute({
		method: 'GET',
		path: '/api/v1/incidents',
		need: 'read',
		summary: 'Incidents newest first, filtered; `next_cursor` pages on',
		tags: ['read'],
		querystring: ReadQuery,
		response: { 200: IncidentPageSchema },
		handle: async ({ query: q, services, principal }) => {
			const scope = scopeOf(services, principal!, q.district ?? null);
			const cursor = q.cursor ? decodeCursor(q.cursor) : null;
			if (q.cursor && !cursor) throw invalid('Invalid cursor', [{ path: 'cursor', message: 'is not a cursor this API gave' }]);
			const page = await services.metrics.timeQuery('incident_list', () =>
				listIncidents(services.store, {
					district: scope.district,
					status: q.status,
					category: q.category ?? null,
					source: q.source ?? null,
					from: q.from ? new Date(q.from) : null,
					to: q.to ? new Date(q.to) : null,
					limit: q.limit,
					cursor,
					now: services.now()
				}, repeatWindows(services.city))
			);
			return { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null };
		}
	}),
	defineRoute({
		method: 'GET',
		path: '/api/v1/incidents/:id',
		need: 'read',
		summary: "One incident with its timeline (another district's incident is 404 for a district token)",
		tags: ['read'],
		params: z.object({ id: z.string() }),
		response: { 200: IncidentDetailSchema },
		handle: async ({ params, services, principal }) => {
			const detail = params.id.length <= 128 ? await incidentDetail(services.store, params.id, services.now(), repeatWindows(services.city), principal!.district) : null;
			// Another district's incident is "not found" for a district token: its existence is not disclosed.
			if (!detail || (principal!.district !== null && detail.district !== principal!.district)) throw notFound('No such incident');
			return detail;
		}
	}),
	defineRoute({
		method: 'GET',
		path: '/api/v1/city',
		need: 'read',
		summary: 'The city: districts, categories, boundaries, map tiles',
		tags: ['read'],
		response: { 200: CityResponseSchema },
		handle: async ({ services }) => ({ ...services.cityPublic, tile_url: services.config.tileUrl })
	})
];
