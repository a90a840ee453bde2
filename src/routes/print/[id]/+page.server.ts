/**
 * The print pages of one archived report, read from the report service (the numbers were fixed when
 * the report was made). The headless browser comes in with a print ticket (`exp`, `sig`); a signed-in
 * reader may open them too — a district token only its own district's page.
 * `?only=city` is the city page, `?only=<district>` one district, nothing at all: every page.
 */
import { error } from '@sveltejs/kit';
import { resolveScope } from '$lib/contract/roles';
import { getReportPages } from '$lib/reports/context';
import { buildReportMap } from '$lib/reports/map';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, url, locals }) => {
	const pages = getReportPages();
	if (!pages) error(503, { message: 'Отчёты недоступны' });
	const only = url.searchParams.get('only');
	const byTicket = pages.verifyTicket(params.id, url.searchParams.get('exp'), url.searchParams.get('sig'));
	if (!byTicket) {
		if (!locals.principal) error(401, { message: 'Нужен токен доступа', code: 'unauthorized' });
		const scope = resolveScope(locals.principal, only && only !== 'city' ? only : null);
		if (scope === 'forbidden' || (scope.district !== null && only !== scope.district)) {
			error(403, { message: 'Нет доступа к этой странице отчёта', code: 'forbidden' });
		}
	}
	const data = pages.data(params.id);
	if (!data) error(404, { message: 'Отчёт не найден', code: 'not_found' });
	const scopes = data.scopes.filter((s) => (only === null ? true : only === 'city' ? s.district === null : s.district === only));
	if (scopes.length === 0) error(404, { message: 'Нет такой страницы отчёта', code: 'not_found' });
	return {
		report: { week: data.week, from: data.from, to: data.to, tz: data.tz, city: data.city, category_labels: data.category_labels },
		// Per-district rows for the city page's comparison table.
		districts: data.scopes.filter((s) => s.district !== null).map((s) => ({ code: s.district!, name: s.name, summary: s.summary, acceptance: s.acceptance })),
		sheets: scopes.map((s) => ({ ...s, map: buildReportMap(pages.city.boundaries, s.hotspots, s.district) }))
	};
};
