/**
 * Every route of the API table (server/http/api.ts ROUTES) with every role: the answer each role gets is
 * written down here, and a route added to ROUTES without a row here fails the suite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Need } from '../../server/http/api.ts';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { byRole, OWN, ROLES, tokenOf, type RoleName } from './support/roles.ts';

let app: StartedApp;
/** An incident of OWN's district, to read by id. */
const own = incident({ district: OWN, text: 'Открытое обращение для проверки доступа' });
let seq = 0;

interface Row {
	need: Need;
	/** The request: path and query, and a body for POST (a fresh one per call). */
	url: () => string;
	body?: () => unknown;
	expect: Record<RoleName, number>;
}

const READ_OWN = byRole({ none: 401, admin: 200, wall: 200, ingest: 403, own: 200, other: 403 });
const READ_CITY = byRole({ none: 401, admin: 200, wall: 200, ingest: 403, own: 200, other: 200 });
const WRITE = byRole({ none: 401, admin: 202, wall: 403, ingest: 202, own: 403, other: 403 });
const OPEN = byRole({ none: 200, admin: 200, wall: 200, ingest: 200, own: 200, other: 200 });

/** The table the suite enforces: `METHOD path` → the right it needs and what each role gets. */
const TABLE: Record<string, Row> = {
	'GET /healthz': { need: 'none', url: () => '/healthz', expect: OPEN },
	'GET /readyz': { need: 'none', url: () => '/readyz', expect: OPEN },
	'GET /metrics': { need: 'none', url: () => '/metrics', expect: OPEN },
	'GET /api/v1/openapi.json': { need: 'none', url: () => '/api/v1/openapi.json', expect: OPEN },
	'GET /api/docs': { need: 'none', url: () => '/api/docs', expect: OPEN },
	// The docs page's files: an allow-list, anything else is 404 for everyone.
	'GET /api/docs/:file': { need: 'none', url: () => '/api/docs/swagger-ui.css', expect: OPEN },
	'POST /api/v1/incidents': { need: 'ingest', url: () => '/api/v1/incidents', body: () => incident({ district: OWN }), expect: WRITE },
	'POST /api/v1/events': {
		need: 'ingest',
		url: () => '/api/v1/events',
		body: () => ({ incident_id: own.id, type: 'assigned', at: new Date(Date.now() - 1000 * ++seq).toISOString(), executor: 'Администрация района' }),
		expect: WRITE
	},
	'GET /api/v1/snapshot': { need: 'read', url: () => `/api/v1/snapshot?district=${OWN}`, expect: READ_OWN },
	'GET /api/v1/incidents': { need: 'read', url: () => `/api/v1/incidents?district=${OWN}&status=all`, expect: READ_OWN },
	// Another district's incident is «not found» for a district token: its existence is not disclosed.
	'GET /api/v1/incidents/:id': { need: 'read', url: () => `/api/v1/incidents/${encodeURIComponent(own.id)}`, expect: byRole({ none: 401, admin: 200, wall: 200, ingest: 403, own: 200, other: 404 }) },
	'GET /api/v1/places': { need: 'read', url: () => `/api/v1/places?district=${OWN}&days=30`, expect: READ_OWN },
	'GET /api/v1/city': { need: 'read', url: () => '/api/v1/city', expect: READ_CITY },
	'GET /api/v1/reports': { need: 'read', url: () => '/api/v1/reports', expect: READ_CITY },
	// Admin passes the gate and reaches validation (400 for an empty body): only admin gets that far.
	'POST /api/v1/reports': { need: 'admin', url: () => '/api/v1/reports', body: () => ({}), expect: byRole({ none: 401, admin: 400, wall: 403, ingest: 403, own: 403, other: 403 }) },
	// No such report: readers pass the gate and get 404; the rest are refused before.
	'GET /api/v1/reports/:id/:file': { need: 'read', url: () => '/api/v1/reports/no-such-report/report.pdf', expect: byRole({ none: 401, admin: 404, wall: 404, ingest: 403, own: 404, other: 404 }) },
	// This app runs without MCU_ALERTS_FILE: the admin passes the gate and learns alerts are not configured.
	'GET /api/v1/alerts': { need: 'admin', url: () => '/api/v1/alerts', expect: byRole({ none: 401, admin: 404, wall: 403, ingest: 403, own: 403, other: 403 }) },
	'POST /api/v1/alerts/test': { need: 'admin', url: () => '/api/v1/alerts/test', body: () => ({ contact: 'brief' }), expect: byRole({ none: 401, admin: 404, wall: 403, ingest: 403, own: 403, other: 403 }) },
	// Telegram's webhook proves itself with its secret token, not a product token; without alerts: 404 for all.
	'POST /api/v1/alerts/telegram/:bot': { need: 'none', url: () => '/api/v1/alerts/telegram/123456', body: () => ({ update_id: 1 }), expect: byRole({ none: 404, admin: 404, wall: 404, ingest: 404, own: 404, other: 404 }) }
};

async function call(method: string, row: Row, headers: Record<string, string>): Promise<number> {
	const res = await fetch(app.url + row.url(), {
		method,
		headers: { ...headers, ...(row.body ? { 'content-type': 'application/json' } : {}) },
		body: row.body ? JSON.stringify(row.body()) : undefined
	});
	await res.arrayBuffer();
	return res.status;
}

beforeAll(async () => {
	app = await startApp({ pages: false, env: { MCU_REPORTS: '0' } });
	expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, own)).status).toBe(202);
});
afterAll(async () => {
	await app?.stop();
});

describe('the route table', () => {
	it('has a row for every route of ROUTES, and each route needs the right written here', () => {
		expect(new Set(ROUTES.map((r) => `${r.method} ${r.path}`))).toEqual(new Set(Object.keys(TABLE)));
		for (const r of ROUTES) expect({ route: `${r.method} ${r.path}`, need: r.need }).toEqual({ route: `${r.method} ${r.path}`, need: TABLE[`${r.method} ${r.path}`]!.need });
	});

	it('gives every role on every route exactly the written answer (Authorization: Bearer)', async () => {
		const got: Record<string, Record<string, number>> = {};
		const want: Record<string, Record<string, number>> = {};
		for (const [key, row] of Object.entries(TABLE)) {
			const method = key.split(' ')[0]!;
			got[key] = {};
			want[key] = row.expect;
			for (const role of ROLES) {
				const token = tokenOf(role, app.tokens);
				got[key]![role] = await call(method, row, token ? { authorization: `Bearer ${token}` } : {});
			}
		}
		expect(got).toEqual(want);
	});

	it('accepts the page cookie for reads with the same answers, and never for writes', async () => {
		const got: Record<string, Record<string, number>> = {};
		const want: Record<string, Record<string, number>> = {};
		for (const [key, row] of Object.entries(TABLE)) {
			const method = key.split(' ')[0]!;
			got[key] = {};
			want[key] = {};
			for (const role of ROLES) {
				const token = tokenOf(role, app.tokens);
				got[key]![role] = await call(method, row, token ? { cookie: `mcu_token=${encodeURIComponent(token)}` } : {});
				// A cross-site form could send the cookie: a write with it is treated as having no token at all.
				want[key]![role] = method === 'POST' && row.need !== 'none' ? 401 : row.expect[role];
			}
		}
		expect(got).toEqual(want);
	});

	it('keeps a district token inside its district however the list is asked for', async () => {
		const head = tokenOf(`district:${OWN}`, app.tokens)!;
		const auth = { authorization: `Bearer ${head}` };
		// No district asked: the list is its own district's, never the city's.
		await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [incident({ district: 'central' }), incident({ district: 'leninsky' })]);
		const list = await (await fetch(`${app.url}/api/v1/incidents?status=all&limit=200`, { headers: auth })).json();
		expect(list.items.length).toBeGreaterThan(0);
		expect(new Set(list.items.map((i: { district: string }) => i.district))).toEqual(new Set([OWN]));
		const snap = await (await fetch(`${app.url}/api/v1/snapshot`, { headers: auth })).json();
		expect(snap.scope).toEqual({ district: OWN });
		expect(snap.districts.map((d: { code: string }) => d.code)).toEqual([OWN]);
		expect(snap.feed.every((i: { district: string }) => i.district === OWN)).toBe(true);
		expect((await fetch(`${app.url}/api/v1/incidents?district=unknown`, { headers: auth })).status).toBe(403);
	});

	it('answers 404 for a path outside the table and 405 for a wrong method, whoever asks', async () => {
		for (const role of ROLES) {
			const token = tokenOf(role, app.tokens);
			const h: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
			expect((await fetch(`${app.url}/api/v1/secret`, { headers: h })).status).toBe(404);
			expect((await fetch(`${app.url}/api/v1/snapshot`, { method: 'POST', headers: h })).status).toBe(405);
		}
	});
});
