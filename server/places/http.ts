/** `GET /api/v1/places?district=&category=&days=&min=&limit=`: chronic places of the caller's scope. */
import { z } from 'zod';
import type { Scope } from '../../src/lib/contract/roles.ts';
import { HttpError } from '../http/errors.ts';
import { sendJson } from '../http/errors.ts';
import type { RouteContext } from '../http/api.ts';
import { chronicPlaces, PLACES_DEFAULT_DAYS, PLACES_DEFAULT_MIN, PLACES_MAX_DAYS, PLACES_MAX_LIMIT } from './chronic.ts';
import { repeatWindows } from './windows.ts';

const PlacesQuery = z.object({
	district: z.string().max(64).optional(),
	category: z.string().max(64).optional(),
	days: z.coerce.number().int().min(1).max(PLACES_MAX_DAYS).default(PLACES_DEFAULT_DAYS),
	min: z.coerce.number().int().min(2).max(1000).default(PLACES_DEFAULT_MIN),
	limit: z.coerce.number().int().min(1).max(PLACES_MAX_LIMIT).default(20)
});

export async function placesRoute(ctx: RouteContext, scopeOf: (requested: string | null) => Scope, invalid: (e: z.ZodError) => HttpError): Promise<void> {
	const q = PlacesQuery.safeParse(Object.fromEntries(ctx.url.searchParams));
	if (!q.success) throw invalid(q.error);
	const scope = scopeOf(q.data.district || null);
	const { services } = ctx;
	if (q.data.category !== undefined && !services.city.categoryCodes.has(q.data.category)) {
		throw new HttpError(400, 'invalid', `Unknown category "${q.data.category}"`, [{ path: 'category', message: 'is not a category of this city' }]);
	}
	const body = await services.metrics.timeQuery('places', () =>
		chronicPlaces(services.store, services.config.tz, repeatWindows(services.city), {
			district: scope.district,
			category: q.data.category ?? null,
			days: q.data.days,
			minCount: q.data.min,
			limit: q.data.limit,
			now: services.now()
		})
	);
	sendJson(ctx.res, 200, body);
}
