/**
 * The administrator's page of links: every token of the tokens file with its link and a QR code to open
 * it on a tablet. Admin only. Tokens are read from the file on each load (see src/lib/server/token-links.ts).
 */
import { error } from '@sveltejs/kit';
import QRCode from 'qrcode';
import { isAdmin } from '$lib/contract/roles';
import { getServerContext } from '$lib/server/context';
import type { TokenLink } from '$lib/server/token-links';
import { requestOrigin } from '$lib/server/request-origin';
import type { PageServerLoad } from './$types';

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
	return { links, base };
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
