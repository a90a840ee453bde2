/**
 * The administrator's page of links: every token of the tokens file with its link and a QR code to open
 * it on a tablet. Admin only. Tokens are read from the file on each load (see src/lib/server/token-links.ts).
 */
import { error, fail } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { isAdmin } from '$lib/contract/roles';
import { getServerContext } from '$lib/server/context';
import type { TokenLink } from '$lib/server/token-links';
import { requestOrigin } from '$lib/server/request-origin';
import type { AdminAlerts } from '$lib/contract/alerts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url, request, setHeaders }) => {
	if (!locals.principal) error(401, { message: 'Откройте страницу администратора по ссылке с ключом доступа.', code: 'unauthorized' });
	if (!isAdmin(locals.principal)) error(403, { message: 'Эта страница только для администратора МЦУ.', code: 'forbidden' });
	const ctx = getServerContext();
	const read = ctx.extras.tokenLinks as (() => TokenLink[]) | undefined;
	if (typeof read !== 'function') error(503, { message: 'Список ключей недоступен.' });
	const base = requestOrigin(request.headers, url, ctx.extras.publicUrl);
	// Every link here is a key: nothing of this page may be cached.
	setHeaders({ 'cache-control': 'no-store' });
	const names = new Map(ctx.city.districts.map((d) => [d.code, d.name]));
	const links = await Promise.all(
		read().map(async (t) => {
			const href = t.path ? `${base}${t.path}?token=${encodeURIComponent(t.token)}` : null;
			// An SVG as a data URL: an <img>, not markup injected into the page (img-src allows data:).
			const qr = href ? `data:image/svg+xml;base64,${Buffer.from(await QRCode.toString(href, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' })).toString('base64')}` : null;
			return { role: t.role, title: title(t.role, names), token: t.token, href, qr };
		})
	);
	// The outbound alert log and its contact points (null without MCU_ALERTS_FILE).
	const alerts = (ctx.extras.alerts as AdminAlerts | null | undefined) ?? null;
	return { links, base, alerts: alerts ? alerts.view() : null, tz: ctx.config.tz, districtNames: Object.fromEntries(names) };
};

export const actions: Actions = {
	/** «Проверить»: a test message through one contact point (the same as `POST /api/v1/alerts/test`). */
	test: async ({ locals, request }) => {
		if (!locals.principal || !isAdmin(locals.principal)) error(403, { message: 'Эта страница только для администратора МЦУ.', code: 'forbidden' });
		const alerts = getServerContext().extras.alerts as AdminAlerts | null | undefined;
		const contact = String((await request.formData()).get('contact') ?? '');
		if (!alerts) return fail(404, { contact, delivered: false, error: 'Оповещения не настроены (MCU_ALERTS_FILE)' });
		const outcome = await alerts.test(contact);
		if (!outcome) return fail(404, { contact, delivered: false, error: 'Нет такого канала в файле оповещений' });
		return { contact, delivered: outcome.delivered, error: outcome.error };
	}
};

function title(role: string, names: Map<string, string>): string {
	if (role === 'admin') return 'Администратор (все страницы, заказ отчётов)';
	if (role === 'wall') return 'Видеостена МЦУ';
	if (role === 'ingest') return 'Приём данных (для API, страницы нет)';
	if (role.startsWith('district:')) {
		const code = role.slice(9);
		return `Глава района: ${names.get(code) ?? code}`;
	}
	return role;
}
