/** The roles the access tests walk, and the token each one presents. */
import type { DemoTokens } from '../../../server/auth/tokens.ts';

export const DISTRICTS = ['central', 'zheleznodorozhny', 'industrialny', 'leninsky', 'oktyabrsky'] as const;
/** The district whose data the tables ask for; every other district token must be refused it. */
export const OWN = 'industrialny';

export type RoleName = 'none' | 'wrong' | 'admin' | 'wall' | 'ingest' | `district:${(typeof DISTRICTS)[number]}`;

export const ROLES: readonly RoleName[] = ['none', 'wrong', 'admin', 'wall', 'ingest', ...DISTRICTS.map((d) => `district:${d}` as const)];

export const WRONG_TOKEN = 'this-is-not-a-token-of-this-city';

export function tokenOf(role: RoleName, tokens: DemoTokens): string | null {
	if (role === 'none') return null;
	if (role === 'wrong') return WRONG_TOKEN;
	if (role === 'admin' || role === 'wall' || role === 'ingest') return tokens[role];
	return tokens.districts[role.slice('district:'.length)]!;
}

/** Expected answers per role: `read` gives what readers of OWN's data get, `other` other districts' tokens. */
export function byRole(x: { none: number; admin: number; wall: number; ingest: number; own: number; other: number; wrong?: number }): Record<RoleName, number> {
	const out = { none: x.none, wrong: x.wrong ?? x.none, admin: x.admin, wall: x.wall, ingest: x.ingest } as Record<RoleName, number>;
	for (const d of DISTRICTS) out[`district:${d}`] = d === OWN ? x.own : x.other;
	return out;
}
