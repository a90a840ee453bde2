/** The report archive: what the caller's token may see, and (admin) a form to make any past week's report. */
import { error, fail } from '@sveltejs/kit';
import { isAdmin, resolveScope } from '$lib/contract/roles';
import { getReportPages } from '$lib/reports/context';
import { recentWeeks } from '$lib/reports/week';
import { weekTitle } from '$lib/reports/format';
import type { Actions, PageServerLoad } from './$types';

/** How many past weeks the form offers (a year); older ones through the API. */
const WEEK_CHOICES = 52;

export const load: PageServerLoad = ({ locals, setHeaders }) => {
	const pages = getReportPages();
	if (!pages) error(503, { message: 'Отчёты сейчас недоступны.' });
	if (!locals.principal) error(401, { message: 'Откройте страницу отчётов по ссылке с ключом доступа.', code: 'unauthorized' });
	const scope = resolveScope(locals.principal, null);
	if (scope === 'forbidden') error(403, { message: 'Этому ключу отчёты недоступны.', code: 'forbidden' });
	// The list changes while reports are made: a reload must never show a cached one.
	setHeaders({ 'cache-control': 'no-store' });
	const district = scope.district ? (pages.city.districts.find((d) => d.code === scope.district)?.name ?? scope.district) : null;
	return { reports: pages.list(scope), district, districtCode: scope.district, admin: isAdmin(locals.principal), tz: pages.tz, weeks: isAdmin(locals.principal) ? recentWeeks(new Date(), pages.tz, WEEK_CHOICES) : [] };
};

/** The report service speaks English to the API; the page says the same in Russian, by the error's code. */
function russian(e: unknown, week: string, tz: string): string {
	const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
	if (code === 'invalid') return `«${week}» — не номер недели. Выберите неделю из списка.`;
	if (code === 'week_not_over') return `${weekTitle(week)} ещё не закончилась (время ${tz}): отчёт можно сделать только за прошедшую неделю.`;
	return 'Не удалось поставить отчёт в очередь. Попробуйте ещё раз.';
}

export const actions: Actions = {
	default: async ({ request, locals }) => {
		const pages = getReportPages();
		if (!pages) error(503, { message: 'Отчёты сейчас недоступны.' });
		if (!locals.principal || !isAdmin(locals.principal)) error(403, { message: 'Заказать отчёт может только администратор.', code: 'forbidden' });
		const week = String((await request.formData()).get('week') ?? '').trim();
		try {
			return { requested: pages.request(week), week };
		} catch (e) {
			return fail(400, { week, message: russian(e, week, pages.tz) });
		}
	}
};
