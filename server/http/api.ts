/**
 * The HTTP API of CONTRACT.md as one declarative table. Every route names the right it needs; the router
 * (router.ts) checks it before the handler runs, so a route without a rule cannot exist, and
 * tests/access/http-routes.test.ts fails for a route without a row. Reads are scoped by the caller's token
 * in the handlers, on the server, never by the UI.
 */
import type { ApiRoute } from './route.ts';
import { systemRoutes } from './routes/system.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { reportRoutes } from '../reports/routes.ts';
import { placesRoutes } from '../places/routes.ts';
import { alertRoutes } from '../alerts/routes.ts';

export type { Need, ApiRoute as Route } from './route.ts';

export const ROUTES: readonly ApiRoute[] = [...systemRoutes, ...incidentRoutes, ...reportRoutes, ...placesRoutes, ...alertRoutes];
