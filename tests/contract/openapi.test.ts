/**
 * The OpenAPI document against the running API: every documented operation is called (with the roles and
 * inputs that reach its answers), and every real answer — status, media type and body — must be what the
 * document says. Schemas are checked with Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ROUTES } from '../../server/http/api.ts';
import fs from 'node:fs';
import path from 'node:path';
import { post, startApp, tempDir, type StartedApp } from '../helpers/app.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../alerts/support/receivers.ts';
import { incident } from '../helpers/incidents.ts';

// ajv-formats is CommonJS: its default export arrives wrapped once more under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

let app: StartedApp;
/** A real webhook contact point, so the alert routes answer their successes too. */
let hook: WebhookReceiver;
let doc: { openapi: string; paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };
const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
addFormats(ajv);
const own = incident({ district: 'industrialny', text: 'Обращение для проверки описания API' });

type Role = 'none' | 'admin' | 'wall' | 'ingest' | 'own' | 'other';
interface Call {
	method: 'GET' | 'POST';
	/** The documented path (OpenAPI syntax) and the concrete URL asked. */
	path: string;
	url: string;
	role: Role;
	body?: string;
	contentType?: string;
}

const json = (v: unknown) => JSON.stringify(v);
const CALLS: Call[] = [
	{ method: 'GET', path: '/healthz', url: '/healthz', role: 'none' },
	{ method: 'GET', path: '/readyz', url: '/readyz', role: 'none' },
	{ method: 'GET', path: '/metrics', url: '/metrics', role: 'none' },
	{ method: 'GET', path: '/api/v1/openapi.json', url: '/api/v1/openapi.json', role: 'none' },
	{ method: 'GET', path: '/api/docs', url: '/api/docs', role: 'none' },
	{ method: 'POST', path: '/api/v1/incidents', url: '/api/v1/incidents', role: 'ingest', body: json(incident({ district: 'central' })) },
	{ method: 'POST', path: '/api/v1/incidents', url: '/api/v1/incidents', role: 'ingest', body: [incident(), incident()].map(json).join('\n'), contentType: 'application/x-ndjson' },
	{ method: 'POST', path: '/api/v1/incidents', url: '/api/v1/incidents', role: 'ingest', body: json([{ ...incident(), category: 'no-such' }]) },
	{ method: 'POST', path: '/api/v1/incidents', url: '/api/v1/incidents', role: 'ingest', body: 'id,source', contentType: 'text/csv' },
	{ method: 'POST', path: '/api/v1/incidents', url: '/api/v1/incidents', role: 'ingest' },
	{ method: 'POST', path: '/api/v1/incidents', url: '/api/v1/incidents', role: 'none', body: json(incident()) },
	{ method: 'POST', path: '/api/v1/incidents', url: '/api/v1/incidents', role: 'wall', body: json(incident()) },
	{ method: 'POST', path: '/api/v1/events', url: '/api/v1/events', role: 'ingest', body: json({ incident_id: own.id, type: 'assigned', at: new Date().toISOString() }) },
	{ method: 'POST', path: '/api/v1/events', url: '/api/v1/events', role: 'ingest', body: '{"incident_id":' },
	{ method: 'GET', path: '/api/v1/snapshot', url: '/api/v1/snapshot', role: 'admin' },
	{ method: 'GET', path: '/api/v1/snapshot', url: '/api/v1/snapshot?district=industrialny', role: 'wall' },
	{ method: 'GET', path: '/api/v1/snapshot', url: '/api/v1/snapshot', role: 'own' },
	{ method: 'GET', path: '/api/v1/snapshot', url: '/api/v1/snapshot?district=industrialny', role: 'other' },
	{ method: 'GET', path: '/api/v1/snapshot', url: '/api/v1/snapshot?district=atlantis', role: 'admin' },
	{ method: 'GET', path: '/api/v1/incidents', url: '/api/v1/incidents?status=all&limit=2', role: 'admin' },
	{ method: 'GET', path: '/api/v1/incidents', url: '/api/v1/incidents?status=open', role: 'own' },
	{ method: 'GET', path: '/api/v1/incidents', url: '/api/v1/incidents?limit=500', role: 'admin' },
	{ method: 'GET', path: '/api/v1/incidents', url: '/api/v1/incidents?cursor=nope', role: 'admin' },
	{ method: 'GET', path: '/api/v1/incidents', url: '/api/v1/incidents', role: 'ingest' },
	{ method: 'GET', path: '/api/v1/incidents/{id}', url: `/api/v1/incidents/${encodeURIComponent(own.id)}`, role: 'admin' },
	{ method: 'GET', path: '/api/v1/incidents/{id}', url: `/api/v1/incidents/${encodeURIComponent(own.id)}`, role: 'own' },
	{ method: 'GET', path: '/api/v1/incidents/{id}', url: `/api/v1/incidents/${encodeURIComponent(own.id)}`, role: 'other' },
	{ method: 'GET', path: '/api/v1/city', url: '/api/v1/city', role: 'wall' },
	{ method: 'GET', path: '/api/v1/city', url: '/api/v1/city', role: 'none' },
	{ method: 'GET', path: '/api/v1/reports', url: '/api/v1/reports', role: 'admin' },
	{ method: 'GET', path: '/api/v1/reports', url: '/api/v1/reports', role: 'own' },
	{ method: 'POST', path: '/api/v1/reports', url: '/api/v1/reports', role: 'admin', body: json({}) },
	{ method: 'POST', path: '/api/v1/reports', url: '/api/v1/reports', role: 'admin', body: json({ week: 'не неделя' }) },
	{ method: 'POST', path: '/api/v1/reports', url: '/api/v1/reports', role: 'wall', body: json({ week: '2026-W01' }) },
	{ method: 'GET', path: '/api/v1/reports/{id}/{file}', url: '/api/v1/reports/no-such/report.pdf', role: 'admin' },
	{ method: 'GET', path: '/api/v1/reports/{id}/{file}', url: '/api/v1/reports/no-such/overview.png', role: 'own' },
	{ method: 'GET', path: '/api/v1/places', url: '/api/v1/places?days=30', role: 'admin' },
	{ method: 'GET', path: '/api/v1/places', url: '/api/v1/places', role: 'own' },
	{ method: 'GET', path: '/api/v1/places', url: '/api/v1/places?district=central', role: 'own' },
	{ method: 'GET', path: '/api/v1/places', url: '/api/v1/places?days=0', role: 'admin' },
	{ method: 'GET', path: '/api/v1/alerts', url: '/api/v1/alerts', role: 'admin' },
	{ method: 'GET', path: '/api/v1/alerts', url: '/api/v1/alerts', role: 'wall' },
	{ method: 'POST', path: '/api/v1/alerts/test', url: '/api/v1/alerts/test', role: 'admin', body: json({ contact: 'gis' }) },
	{ method: 'POST', path: '/api/v1/alerts/test', url: '/api/v1/alerts/test', role: 'admin', body: json({ contact: 'nobody' }) },
	{ method: 'POST', path: '/api/v1/alerts/test', url: '/api/v1/alerts/test', role: 'admin', body: json({}) },
	{ method: 'POST', path: '/api/v1/alerts/telegram/{bot}', url: '/api/v1/alerts/telegram/123456', role: 'none', body: json({ update_id: 1 }) }
];

function tokenOf(role: Role): string | null {
	if (role === 'none') return null;
	if (role === 'own') return app.tokens.districts.industrialny!;
	if (role === 'other') return app.tokens.districts.central!;
	return app.tokens[role];
}

const seen = new Set<number>();

/** What is wrong with one real answer against the document, or null. */
async function problemOf(call: Call): Promise<string | null> {
	const token = tokenOf(call.role);
	const res = await fetch(app.url + call.url, {
		method: call.method,
		headers: {
			...(token ? { authorization: `Bearer ${token}` } : {}),
			...(call.body !== undefined ? { 'content-type': call.contentType ?? 'application/json' } : {})
		},
		body: call.body
	});
	const text = await res.text();
	seen.add(res.status);
	const op = doc.paths[call.path]?.[call.method.toLowerCase()];
	if (!op) return 'not in the document';
	const response = op.responses[String(res.status)] ?? op.responses.default;
	if (!response) return `status ${res.status} is not documented`;
	const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
	const media = response.content?.[type];
	if (!media) return `status ${res.status}: media type ${type} is not documented (${Object.keys(response.content ?? {}).join(', ')})`;
	if (type !== 'application/json') return null;
	const pointer = `/paths/${call.path.replaceAll('~', '~0').replaceAll('/', '~1')}/${call.method.toLowerCase()}/responses/${op.responses[String(res.status)] ? res.status : 'default'}/content/application~1json/schema`;
	const validate = ajv.getSchema(`urn:mcu:openapi#${pointer}`);
	if (!validate) return `no schema at ${pointer}`;
	if (!validate(JSON.parse(text))) return `status ${res.status}: ${ajv.errorsText(validate.errors)} in ${text.slice(0, 200)}`;
	return null;
}

beforeAll(async () => {
	hook = await startWebhookReceiver('openapi-test-secret');
	const alertsFile = path.join(tempDir('openapi-alerts-'), 'alerts.json');
	fs.writeFileSync(alertsFile, JSON.stringify({ contacts: { gis: { type: 'webhook', url: hook.url, secret: 'openapi-test-secret' } }, routes: [{ match: { events: ['system'] }, contacts: ['gis'] }] }));
	app = await startApp({ pages: false, env: { MCU_ALERTS_FILE: alertsFile } });
	expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, own)).status).toBe(202);
	await app.pipeline.drain();
	const res = await fetch(`${app.url}/api/v1/openapi.json`);
	expect(res.status).toBe(200);
	doc = await res.json();
	// The whole document as one schema resource: `#/components/...` references resolve inside it.
	ajv.addSchema({ ...doc, $id: 'urn:mcu:openapi' });
});
afterAll(async () => {
	await app?.stop();
	await hook?.close();
});

describe('the OpenAPI document', () => {
	it('is OpenAPI 3.1 and describes exactly the routes of the table (the docs files aside)', () => {
		expect(doc.openapi).toBe('3.1.0');
		const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
		const routes = ROUTES.filter((r) => !r.hide).map((r) => `${r.method} ${r.path.replace(/:([a-z]+)/gi, '{$1}')}`);
		expect(new Set(documented)).toEqual(new Set(routes));
	});

	it('is what every route really answers, to every role it matters for', async () => {
		const called = new Set(CALLS.map((c) => `${c.method} ${c.path}`));
		expect(called).toEqual(new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`))));
		const problems: string[] = [];
		for (const call of CALLS) {
			const problem = await problemOf(call);
			if (problem) problems.push(`${call.method} ${call.url} as ${call.role}: ${problem}`);
		}
		expect(problems).toEqual([]);
		// The calls reach the successes and the envelope's failures alike.
		expect([...seen].sort()).toEqual([200, 202, 400, 401, 403, 404, 415]);
	});

	it('is readable at /api/docs from the product itself, with no outside address', async () => {
		const page = await (await fetch(`${app.url}/api/docs`)).text();
		const refs = [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
		expect(refs.length).toBeGreaterThan(2);
		for (const ref of refs) {
			expect(ref.startsWith('/api/docs/')).toBe(true);
			expect((await fetch(app.url + ref)).status).toBe(200);
		}
		const init = await (await fetch(`${app.url}/api/docs/docs.js`)).text();
		expect(init).toContain('/api/v1/openapi.json');
		expect((await fetch(`${app.url}/api/docs/..%2Fpackage.json`)).status).toBe(404);
	});
});
