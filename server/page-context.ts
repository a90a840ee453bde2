/** The server context SvelteKit pages get (see src/lib/server/context.ts), built from the services. */
import type { ServerContext } from '../src/lib/server/context.ts';
import type { AppServices } from './services.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { decodeCursor, encodeCursor, listIncidents } from './store/queries/incident-list.ts';
import { incidentDetail } from './store/queries/incident-detail.ts';
import { repeatWindows } from './places/windows.ts';
import { readTokenLinks } from '../src/lib/server/token-links.ts';
import path from 'node:path';

/** Sign-in links tried per address per minute before the page answers 429. */
const SIGN_IN_PER_MIN = 20;
/** How long a page read waits for acknowledged rows to reach the store. */
const READ_SETTLE_MS = 2000;

export function pageContext(services: AppServices): ServerContext {
	const signIn = new RateLimiter(SIGN_IN_PER_MIN, SIGN_IN_PER_MIN);
	return {
		city: services.cityPublic,
		config: { tz: services.config.tz, tileUrl: services.config.tileUrl, version: services.version },
		authenticate: (token) => services.tokens.resolve(token),
		snapshot: (scope) => services.snapshot(scope),
		listIncidents: async (scope, q) => {
			// Read your writes, as the API does: what was acknowledged before the page asked is in the store.
			await services.pipeline.settled(READ_SETTLE_MS);
			const page = await listIncidents(services.store, {
				district: scope.district,
				status: q.status,
				category: q.category,
				source: q.source,
				from: q.from ? new Date(q.from) : null,
				to: q.to ? new Date(q.to) : null,
				limit: Math.min(200, Math.max(1, q.limit)),
				cursor: q.cursor ? decodeCursor(q.cursor) : null,
				now: services.now()
			}, repeatWindows(services.city));
			return { items: page.items, next_cursor: page.next ? encodeCursor(page.next) : null };
		},
		incident: async (id, scope) => {
			await services.pipeline.settled(READ_SETTLE_MS);
			const detail = await incidentDetail(services.store, id, services.now(), repeatWindows(services.city), scope.district);
			if (!detail || (scope.district !== null && detail.district !== scope.district)) return null;
			return detail;
		},
		allowSignIn: (key) => signIn.take(key),
		extras: {
			// The admin's page of links (src/routes/admin): the tokens file as it is now, and the public base URL.
			tokenLinks: () => readTokenLinks(services.config.tokensFile ?? path.join(services.config.dataDir, 'tokens.json'), services.cityPublic.districts.map((d) => d.code)),
			publicUrl: services.config.publicUrl,
			// The admin's alert log and «Проверить» (server/alerts): absent without MCU_ALERTS_FILE.
			alerts: services.alerts ? { view: () => services.alerts!.view(), test: (contact: string) => services.alerts!.test(contact) } : null
		}
	};
}
