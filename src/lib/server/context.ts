/**
 * What SvelteKit's server code (hooks, page loads) gets from the running aggregator. The aggregator sets it
 * once at start. It lives on `globalThis` because the built SvelteKit server is a separate bundle from the
 * aggregator's modules: a plain module variable would exist twice.
 */
import type { CityPublic } from '../contract/city';
import type { IncidentDetail, IncidentPage } from '../contract/incident';
import type { Principal, Scope } from '../contract/roles';
import type { Snapshot } from '../contract/snapshot';

export interface PageIncidentQuery {
	status: 'open' | 'overdue' | 'all';
	category: string | null;
	source: string | null;
	from: string | null;
	to: string | null;
	limit: number;
	cursor: string | null;
}

export interface ServerContext {
	city: CityPublic;
	config: { tz: string; tileUrl: string | null; version: string };
	authenticate(token: string | null | undefined): Principal | null;
	snapshot(scope: Scope): Promise<Snapshot>;
	listIncidents(scope: Scope, q: PageIncidentQuery): Promise<IncidentPage>;
	incident(id: string, scope: Scope): Promise<IncidentDetail | null>;
	/** Sign-in attempts per client address: false means too many. */
	allowSignIn(key: string): boolean;
	/** Anything else a feature hangs on the context (reports, admin links…), by name. */
	extras: Record<string, unknown>;
}

const KEY = Symbol.for('mcu-pulse.server-context');

export function setServerContext(ctx: ServerContext | null): void {
	(globalThis as Record<symbol, unknown>)[KEY] = ctx;
}

export function getServerContext(): ServerContext {
	const ctx = (globalThis as Record<symbol, unknown>)[KEY] as ServerContext | null | undefined;
	if (!ctx) throw new Error('The aggregator has not started: no server context');
	return ctx;
}
