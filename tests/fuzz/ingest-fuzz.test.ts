/**
 * Property-based fuzzing of both ingest routes with malformed payloads (see malformed.ts): every answer is a
 * 4xx with the contract's error envelope, never a 5xx; the process stays up and the stored data is unchanged.
 * Requests go over keep-alive connections (fetch's pool), one payload each.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, get, startApp, type StartedApp, bodyOf } from '../helpers/app.ts';
import { badBatch, badBody, eventMutation, incidentMutation, validEvent, validIncident } from './malformed.ts';

let app: StartedApp;
let before: { incidents: number; events: number };
/** Payloads sent, for the closing count. */
let sent = 0;

beforeAll(async () => {
	app = await startApp({ pages: false, env: { MCU_INGEST_RATE_PER_MIN: '100000000', MCU_REPORTS: '0' } });
	before = { incidents: await countRows(app.store, 'incidents'), events: await countRows(app.store, 'incident_events') };
});
afterAll(async () => {
	await app?.stop();
});

interface Answer {
	status: number;
	body: unknown;
}

async function send(route: 'incidents' | 'events', contentType: string, body: string | Buffer, token: string | null = app.tokens.ingest): Promise<Answer> {
	sent += 1;
	const headers: Record<string, string> = { 'content-type': contentType };
	if (token) headers.authorization = `Bearer ${token}`;
	// Bytes go as they are (invalid UTF-8 included), not re-encoded.
	const res = await fetch(`${app.url}/api/v1/${route}`, { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });
	return { status: res.status, body: (await bodyOf(res)) as unknown };
}

/** A 4xx with `{"error":{"code","message","details"?:[{index?,path,message}]}}`; returns a message when not. */
function envelopeProblem(a: Answer, allowed: number[]): string | null {
	if (!allowed.includes(a.status)) return `status ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`;
	const e = (a.body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
	if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') return `no error envelope: ${JSON.stringify(a.body).slice(0, 300)}`;
	if (e.details !== undefined) {
		if (!Array.isArray(e.details)) return 'details is not an array';
		for (const d of e.details as { path?: unknown; message?: unknown; index?: unknown }[]) {
			if (typeof d.path !== 'string' || typeof d.message !== 'string' || (d.index !== undefined && typeof d.index !== 'number')) return `bad detail ${JSON.stringify(d)}`;
		}
	}
	return null;
}

const INVALID = [400];
const BODY_ERRORS = [400, 413, 415];

describe('ingest routes under malformed input', () => {
	it('refuses 3 000 incident batches with one broken item each', async () => {
		await fc.assert(
			fc.asyncProperty(badBatch(validIncident, incidentMutation), async ({ contentType, body }) => {
				const problem = envelopeProblem(await send('incidents', contentType, body), INVALID);
				if (problem) throw new Error(`${problem}\nbody: ${body.slice(0, 500)}`);
			}),
			{ numRuns: 3000 }
		);
		expect(sent).toBeGreaterThanOrEqual(3000);
	}, 180_000);

	it('refuses 2 000 status-event batches with one broken item each', async () => {
		await fc.assert(
			fc.asyncProperty(badBatch(validEvent, eventMutation), async ({ contentType, body }) => {
				const problem = envelopeProblem(await send('events', contentType, body), INVALID);
				if (problem) throw new Error(`${problem}\nbody: ${body.slice(0, 500)}`);
			}),
			{ numRuns: 2000 }
		);
		expect(sent).toBeGreaterThanOrEqual(5000);
	}, 180_000);

	it('refuses 3 000 broken bodies on both routes: encoding, syntax, shape, nesting, content type', async () => {
		await fc.assert(
			fc.asyncProperty(badBody, fc.constantFrom('incidents' as const, 'events' as const), async ({ contentType, body }, route) => {
				const problem = envelopeProblem(await send(route, contentType, body), BODY_ERRORS);
				if (problem) throw new Error(`${problem}\ncontent-type: ${contentType}\nbody: ${String(body).slice(0, 300)}`);
			}),
			{ numRuns: 3000 }
		);
		expect(sent).toBeGreaterThanOrEqual(8000);
	}, 180_000);

	it('refuses over-large bodies and batches, and callers without the right', async () => {
		const huge = JSON.stringify([{ ...validIncident(), text: 'x'.repeat(10 * 1024 * 1024) }]);
		expect(envelopeProblem(await send('incidents', 'application/json', huge), [413])).toBeNull();
		// Nesting far deeper than the generators go: a million levels at the top and inside a field.
		expect(envelopeProblem(await send('incidents', 'application/json', '['.repeat(1_000_000) + ']'.repeat(1_000_000)), [400])).toBeNull();
		expect(envelopeProblem(await send('events', 'application/json', `{"incident_id":${'{"a":'.repeat(500_000)}1${'}'.repeat(500_000)}}`), [400])).toBeNull();
		const many = Array.from({ length: 10_001 }, validEvent);
		expect(envelopeProblem(await send('events', 'application/json', JSON.stringify(many)), [413])).toBeNull();
		expect(envelopeProblem(await send('events', 'application/x-ndjson', many.map((x) => JSON.stringify(x)).join('\n')), [413])).toBeNull();
		const one = JSON.stringify(validIncident());
		expect(envelopeProblem(await send('incidents', 'application/json', one, null), [401])).toBeNull();
		expect(envelopeProblem(await send('incidents', 'application/json', one, 'not-a-token-not-a-token'), [401])).toBeNull();
		expect(envelopeProblem(await send('incidents', 'application/json', one, app.tokens.wall), [403])).toBeNull();
		expect(envelopeProblem(await send('events', 'application/json', one, app.tokens.districts.central!), [403])).toBeNull();
	}, 60_000);

	it('is still up, with the stored data unchanged', async () => {
		expect((await get(`${app.url}/healthz`, null)).status).toBe(200);
		await app.pipeline.drain();
		expect(await countRows(app.store, 'incidents')).toBe(before.incidents);
		expect(await countRows(app.store, 'incident_events')).toBe(before.events);
		// Prototypes were not polluted by any payload.
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.keys(Object.prototype)).toEqual([]);
		// And a valid batch is still taken.
		const ok = await send('incidents', 'application/json', JSON.stringify(validIncident()));
		expect(ok.status).toBe(202);
		console.log(`ingest fuzz: ${sent} payloads, no 5xx`);
	});
});
