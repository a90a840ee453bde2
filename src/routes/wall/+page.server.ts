/**
 * The wall is a kiosk: its page gets the city pack, the zone and the server version. It carries no token: the
 * `/live` handshake and the HTTP fallback bring the HttpOnly page cookie, which scripts cannot read.
 */
import { error } from '@sveltejs/kit';
import { getServerContext } from '$lib/server/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, setHeaders }) => {
	const principal = locals.principal;
	if (!principal) error(401, { message: 'Откройте видеостену по ссылке с ключом доступа, которую выдаёт администратор МЦУ.', code: 'unauthorized' });
	if (principal.role !== 'admin' && principal.role !== 'wall') error(403, { message: 'Этот ключ не открывает видеостену всего города.', code: 'forbidden' });
	const { city, config } = getServerContext();
	// Scoped data of one caller: never cache it anywhere.
	setHeaders({ 'cache-control': 'no-store' });
	return { city, tz: config.tz, version: config.version, tileUrl: config.tileUrl };
};
