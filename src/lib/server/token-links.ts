/**
 * The admin's page of links: every token of the tokens file with the page it opens. Read from the file on
 * each call, so a token added or revoked by editing the file shows at once. Server-only (node:fs).
 */
import fs from 'node:fs';

export interface TokenLink {
	token: string;
	role: string;
	/** Path the token opens (with `?token=`), null for a token that opens no page (ingest). */
	path: string | null;
}

/** Order on the page: admin, wall, districts in the city's order, then the rest. */
function rank(role: string, districts: readonly string[]): number {
	if (role === 'admin') return 0;
	if (role === 'wall') return 1;
	if (role.startsWith('district:')) {
		const i = districts.indexOf(role.slice(9));
		return 2 + (i < 0 ? districts.length : i);
	}
	return 100;
}

export function pathFor(role: string): string | null {
	if (role === 'admin') return '/admin';
	if (role === 'wall') return '/wall';
	if (role.startsWith('district:')) return `/district/${encodeURIComponent(role.slice(9))}`;
	return null;
}

export function readTokenLinks(file: string, districts: readonly string[]): TokenLink[] {
	let raw: unknown;
	try {
		raw = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return [];
	}
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
	return Object.entries(raw as Record<string, unknown>)
		.filter((e): e is [string, string] => typeof e[1] === 'string')
		.map(([token, role]) => ({ token, role, path: pathFor(role) }))
		.sort((a, b) => rank(a.role, districts) - rank(b.role, districts) || a.role.localeCompare(b.role));
}
