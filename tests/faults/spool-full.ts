/**
 * The spool-full scenario shared by the byte-limit and the full-disk tests: with the store down, batches are
 * acknowledged into the spool until it cannot take more; from then on every batch is refused with 503 and
 * the error envelope (never a silent drop); when the store returns the spool drains, the refused batches are
 * sent again and accepted, and the stored incidents are exactly the acknowledged ones, each once.
 */
import { expect } from 'vitest';
import { get, type StartedApp } from '../helpers/app.ts';
import { until } from '../helpers/live.ts';
import { incident } from '../helpers/incidents.ts';
import type { IncidentInput } from '../../src/lib/contract/incident.ts';

async function send(a: StartedApp, batch: IncidentInput[]): Promise<{ status: number; body: any; retryAfter: string | null }> {
	const res = await fetch(`${a.url}/api/v1/incidents`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${a.tokens.ingest}` },
		body: JSON.stringify(batch)
	});
	return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
}

/** A batch of `n` incidents with long texts, so a small spool fills in a few requests. */
function bulkyBatch(n: number): IncidentInput[] {
	return Array.from({ length: n }, () => incident({ text: 'Нет отопления в подъезде, '.repeat(60) }));
}

export async function spoolFullScenario(a: StartedApp, opts: { maxRequests: number }): Promise<{ acked: number; refused: number }> {
	const acked = new Set<string>();
	const refused: IncidentInput[][] = [];
	await a.store.command({ query: 'DETACH TABLE incidents' });
	for (let i = 0; i < opts.maxRequests && refused.length < 3; i++) {
		const batch = bulkyBatch(5);
		const r = await send(a, batch);
		if (r.status === 202) {
			expect(r.body).toEqual({ accepted: 5, duplicates: 0 });
			for (const x of batch) acked.add(x.id);
			// Once full, the spool stays full until the store returns: no 202 after a 503.
			expect(refused).toEqual([]);
			continue;
		}
		expect(r.status).toBe(503);
		expect(r.body.error.code).toBe('unavailable');
		expect(typeof r.body.error.message).toBe('string');
		expect(Number(r.retryAfter)).toBeGreaterThan(0);
		refused.push(batch);
	}
	expect(acked.size).toBeGreaterThan(0);
	expect(refused.length).toBe(3);
	const degraded = await get(`${a.url}/readyz`, null);
	expect(degraded.body.store).not.toBe('up');
	expect(degraded.body.spool.entries).toBe(acked.size / 5);

	await a.store.command({ query: 'ATTACH TABLE incidents' });
	await until(() => a.pipeline.spoolDepth.entries === 0 && a.pipeline.storeUp, 30_000, 'the spool drained');
	// The sources send the refused batches again, now accepted.
	for (const batch of refused) {
		const r = await send(a, batch);
		expect(r.status).toBe(202);
		for (const x of batch) acked.add(x.id);
	}
	await a.pipeline.drain();
	const q = await a.store.query({ query: 'SELECT id, count() AS n FROM incidents GROUP BY id', format: 'JSONEachRow' });
	const rows = await q.json<{ id: string; n: string }>();
	expect(rows.filter((x) => Number(x.n) !== 1)).toEqual([]);
	expect(rows.map((x) => x.id).sort()).toEqual([...acked].sort());
	expect((await get(`${a.url}/readyz`, null)).body.store).toBe('up');
	return { acked: acked.size, refused: refused.length };
}
