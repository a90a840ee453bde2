/**
 * A 2xx means durable: every incident and event of an acknowledged request was in an fsynced entry of the
 * local log before the server wrote its answer. The log's fsync hook and the HTTP answer are observed on the
 * real path (the server's own `writeHead`), with concurrent requests so group commits share fsyncs.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import type { IncidentRow, EventRow } from '../../server/ingest/normalize.ts';

let app: StartedApp;
/** Keys made durable so far (incident ids, `event:<incident id>`). */
const durable = new Set<string>();
/** For each answered request (by its `x-batch` header): were all its keys durable when the answer was written? */
const answered = new Map<string, { status: number; allDurable: boolean; syncsBefore: number }>();
const batches = new Map<string, string[]>();

beforeAll(async () => {
	app = await startApp({ pages: false, env: { MCU_INGEST_RATE_PER_MIN: '1000000' } });
	app.pipeline.spool.onSync(({ entries }) => {
		for (const e of entries) {
			if (e.kind === 'incidents') for (const r of e.rows as IncidentRow[]) durable.add(r.id);
			else for (const r of e.rows as EventRow[]) durable.add(`event:${r.incident_id}`);
		}
	});
	// Observes the answer where the server writes it, before any byte reaches the client.
	app.app.server.prependListener('request', (req, res: ServerResponse) => {
		const batch = req.headers['x-batch'];
		if (typeof batch !== 'string') return;
		const writeHead = res.writeHead.bind(res) as (...a: unknown[]) => ServerResponse;
		(res as unknown as { writeHead: (...a: unknown[]) => ServerResponse }).writeHead = (...args: unknown[]) => {
			const keys = batches.get(batch) ?? [];
			answered.set(batch, { status: Number(args[0]), allDurable: keys.every((k) => durable.has(k)), syncsBefore: app.pipeline.spool.syncCount });
			return writeHead(...args);
		};
	});
}, 60_000);

afterAll(async () => {
	await app?.stop();
});

async function send(path: string, batchId: string, keys: string[], body: unknown[]): Promise<number> {
	batches.set(batchId, keys);
	const res = await fetch(`${app.url}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${app.tokens.ingest}`, 'x-batch': batchId },
		body: JSON.stringify(body)
	});
	await res.text();
	return res.status;
}

describe('fsync before the answer', () => {
	it('writes no 202 before the fsync that holds every row of the request', async () => {
		const requests: Promise<number>[] = [];
		for (let i = 0; i < 60; i++) {
			const items = Array.from({ length: 1 + (i % 7) }, () => incident());
			requests.push(send('/api/v1/incidents', `i${i}`, items.map((x) => x.id), items));
			// An event for an incident of the same moment: events take the same path.
			const ev = { incident_id: items[0]!.id, type: 'responded', at: new Date().toISOString() };
			requests.push(send('/api/v1/events', `e${i}`, [`event:${ev.incident_id}`], [ev]));
		}
		const statuses = await Promise.all(requests);
		expect(statuses.every((s) => s === 202)).toBe(true);
		expect(answered.size).toBe(120);
		for (const [batch, a] of answered) {
			expect({ batch, ...a }).toEqual({ batch, status: 202, allDurable: true, syncsBefore: expect.any(Number) });
			expect(a.syncsBefore).toBeGreaterThan(0);
		}
		// Group commit: concurrent requests shared fsyncs.
		expect(app.pipeline.spool.syncCount).toBeLessThanOrEqual(120);
	});

	it('answers a re-sent batch from memory as duplicates, with no fsync', async () => {
		const items = [incident(), incident()];
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, items)).body).toEqual({ accepted: 2, duplicates: 0 });
		const syncs = app.pipeline.spool.syncCount;
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, items)).body).toEqual({ accepted: 0, duplicates: 2 });
		expect(app.pipeline.spool.syncCount).toBe(syncs);
	});
});
