/** The report archive: what the caller's token may see, and (admin) a form to make any past week's report. */
import { error, fail } from '@sveltejs/kit';
import { isAdmin, resolveScope } from '$lib/contract/roles';
import { getReportPages } from '$lib/reports/context';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
	const pages = getReportPages();
	if (!pages) error(503, { message: 'Отчёты недоступны' });
	if (!locals.principal) error(401, { message: 'Откройте страницу по ссылке с ключом доступа', code: 'unauthorized' });
	const scope = resolveScope(locals.principal, null);
	if (scope === 'forbidden') error(403, { message: 'Этому ключу отчёты недоступны', code: 'forbidden' });
	const district = scope.district ? (pages.city.districts.find((d) => d.code === scope.district)?.name ?? scope.district) : null;
	return { reports: pages.list(scope), district, admin: isAdmin(locals.principal), tz: pages.tz };
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const pages = getReportPages();
		if (!pages) error(503, { message: 'Отчёты недоступны' });
		if (!locals.principal || !isAdmin(locals.principal)) error(403, { message: 'Только администратор может заказать отчёт', code: 'forbidden' });
		const week = String((await request.formData()).get('week') ?? '').trim();
		try {
			return { requested: pages.request(week) };
		} catch (e) {
			return fail(400, { week, message: e instanceof Error ? e.message : String(e) });
		}
	}
};
