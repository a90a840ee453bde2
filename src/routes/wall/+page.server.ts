/**
 * The wall is a kiosk: its page gets the city pack, the zone, the server version and its own token, which the
 * browser needs for the `/live` handshake because the cookie holding it is HttpOnly.
 */
import { error } from '@sveltejs/kit';
import { getServerContext } from '$lib/server/context';
import { TOKEN_COOKIE } from '$lib/server/sign-in';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, cookies, setHeaders }) => {
	const principal = locals.principal;
	const token = cookies.get(TOKEN_COOKIE);
	if (!principal || !token) error(401, { message: 'Откройте видеостену по ссылке с ключом доступа, которую выдаёт администратор МЦУ.', code: 'unauthorized' });
	if (principal.role !== 'admin' && principal.role !== 'wall') error(403, { message: 'Этот ключ не открывает видеостену всего города.', code: 'forbidden' });
	const { city, config } = getServerContext();
	// The page carries a token: never cache it anywhere.
	setHeaders({ 'cache-control': 'no-store' });
	return { city, token, tz: config.tz, version: config.version, tileUrl: config.tileUrl };
};
