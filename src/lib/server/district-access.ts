/**
 * Who may open `/district/<code>`: the page's server load asks this before it reads anything.
 * A district token reads its own district only; wall and admin read any; ingest reads nothing.
 */
import { canRead, resolveScope, type Principal, type Scope } from '../contract/roles';

export type DistrictAccess = { ok: true; scope: Scope } | { ok: false; status: 401 | 403 | 404; message: string; code: string };

export function districtAccess(principal: Principal | null, code: string, known: readonly string[]): DistrictAccess {
	if (!principal) {
		return { ok: false, status: 401, code: 'unauthorized', message: 'Откройте страницу района по ссылке с ключом доступа, которую выдал администратор МЦУ.' };
	}
	// Refused before the district is looked up: a district token learns nothing about other codes.
	const scope = canRead(principal) ? resolveScope(principal, code) : 'forbidden';
	if (scope === 'forbidden') {
		return { ok: false, status: 403, code: 'forbidden', message: 'Этот ключ доступа не открывает страницу этого района.' };
	}
	if (!known.includes(code)) return { ok: false, status: 404, code: 'not_found', message: 'Такого района нет.' };
	return { ok: true, scope };
}
