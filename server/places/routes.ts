/** `GET /api/v1/places?district=&category=&days=&min=&limit=`: chronic places of the caller's scope. */
import { z } from 'zod';
import { PlacesResponseSchema } from '../../src/lib/contract/places.ts';
import { defineRoute } from '../http/route.ts';
import { invalid } from '../http/errors.ts';
import { scopeOf } from '../http/routes/incidents.ts';
import { chronicPlaces, PLACES_DEFAULT_DAYS, PLACES_DEFAULT_LIMIT, PLACES_DEFAULT_MIN, PLACES_MAX_DAYS, PLACES_MAX_LIMIT } from './chronic.ts';
import { repeatWindows } from './windows.ts';

const PlacesQuery = z.object({
	district: z.string().max(64).optional(),
	category: z.string().max(64).optional(),
	days: z.coerce.number().int().min(1).max(PLACES_MAX_DAYS).default(PLACES_DEFAULT_DAYS),
	min: z.coerce.number().int().min(2).max(1000).default(PLACES_DEFAULT_MIN),
	limit: z.coerce.number().int().min(1).max(PLACES_MAX_LIMIT).default(PLACES_DEFAULT_LIMIT)
});

export const placesRoutes = [
	defineRoute({
		method: 'GET',
		path: '/api/v1/places',
		need: 'read',
		summary: 'Chronic places: where one category keeps coming back, ranked, with counts per month and the repeat share (a district token gets its district)',
		tags: ['read'],
		querystring: PlacesQuery,
		response: { 200: PlacesResponseSchema },
		handle: async ({ query: q, services, principal }) => {
			const scope = scopeOf(services, principal!, q.district || null);
			if (q.category !== undefined && !services.city.categoryCodes.has(q.category)) {
				throw invalid(`Unknown category "${q.category}"`, [{ path: 'category', message: 'is not a category of this city' }]);
			}
			return services.metrics.timeQuery('places', () =>
				chronicPlaces(services.store, services.config.tz, repeatWindows(services.city), {
					district: scope.district,
					category: q.category ?? null,
					days: q.days,
					minCount: q.min,
					limit: q.limit,
					now: services.now()
				})
			);
		}
	})
];
