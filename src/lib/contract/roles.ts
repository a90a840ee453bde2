/** Roles a token can carry (CONTRACT.md, "Roles and tokens"). */
export type Role = 'admin' | 'wall' | 'ingest' | `district:${string}`;

/** Who is calling, resolved on the server from a token. */
export interface Principal {
	role: Role;
	/** The one district a `district:<code>` token may read; null for every other role. */
	district: string | null;
}

/** What a read is limited to: the whole city (`district: null`) or one district. */
export interface Scope {
	district: string | null;
}

export function principalFromRole(role: Role): Principal {
	return { role, district: role.startsWith('district:') ? role.slice('district:'.length) : null };
}

export function canRead(p: Principal): boolean {
	return p.role === 'admin' || p.role === 'wall' || p.district !== null;
}

export function canIngest(p: Principal): boolean {
	return p.role === 'admin' || p.role === 'ingest';
}

export function isAdmin(p: Principal): boolean {
	return p.role === 'admin';
}

/**
 * The scope a reader gets when asking for `requested` (null = whole city).
 * A district token is always pinned to its own district; asking for another one is refused.
 */
export function resolveScope(p: Principal, requested: string | null): Scope | 'forbidden' {
	if (!canRead(p)) return 'forbidden';
	if (p.district !== null) {
		if (requested !== null && requested !== p.district) return 'forbidden';
		return { district: p.district };
	}
	return { district: requested };
}
