/**
 * A district head's tablet page. Access is decided here, on the server, before anything is read:
 * no token → 401, a token that cannot read this district (another district's, ingest) → 403.
 * The page gets its district's snapshot and first page of incidents, and from the city only the averages
 * (src/lib/server/city-average.ts) — never another district's incidents.
 */
import { error } from '@sveltejs/kit';
import { getServerContext } from '$lib/server/context';
import { districtAccess } from '$lib/server/district-access';
import { cityAverage } from '$lib/server/city-average';
import { DEFAULT_FILTER, PAGE_SIZE, periodFrom } from '$lib/components/district/filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals, setHeaders }) => {
	const ctx = getServerContext();
	const access = districtAccess(locals.principal, params.code, ctx.city.districts.map((d) => d.code));
	if (!access.ok) error(access.status, { message: access.message, code: access.code });
	// Scoped data of one caller: never cache it. The page carries no token: the /live handshake brings the
	// HttpOnly cookie.
	setHeaders({ 'cache-control': 'no-store' });
	const f = DEFAULT_FILTER;
	const [snapshot, city, firstPage] = await Promise.all([
		ctx.snapshot(access.scope),
		ctx.snapshot({ district: null }),
		ctx.listIncidents(access.scope, { status: f.status, category: f.category, source: f.source, from: periodFrom(f.period, Date.now()), to: null, limit: PAGE_SIZE, cursor: null })
	]);
	const info = ctx.city.districts.find((d) => d.code === params.code)!;
	return {
		code: params.code,
		name: info.name,
		city: ctx.city,
		role: locals.principal!.role,
		tz: ctx.config.tz,
		version: ctx.config.version,
		tileUrl: ctx.config.tileUrl,
		snapshot,
		cityAverage: cityAverage(city),
		firstPage
	};
};
