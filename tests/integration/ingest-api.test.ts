/** The ingest and read API against the real engine, over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, get, post, startApp, type StartedApp } from '../helpers/app.ts';
import { DISTRICT_POINTS, incident } from '../helpers/incidents.ts';

let app: StartedApp;
beforeAll(async () => {
	app = await startApp({ pages: false });
});
afterAll(async () => {
	await app?.stop();
});

const incidentsUrl = () => `${app.url}/api/v1/incidents`;

describe('POST /api/v1/incidents', () => {
	it('answers 401 without a token, 403 for a reader, with the error envelope', async () => {
		const none = await post(incidentsUrl(), null, incident());
		expect(none.status).toBe(401);
		expect(none.body.error.code).toBe('unauthorized');
		const wrong = await post(incidentsUrl(), 'not-a-real-token-at-all', incident());
		expect(wrong.status).toBe(401);
		const reader = await post(incidentsUrl(), app.tokens.wall, incident());
		expect(reader.status).toBe(403);
		expect(reader.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
	});

	it('accepts one object, an array and NDJSON, and stores each once', async () => {
		const before = await countRows(app.store, 'incidents');
		const one = await post(incidentsUrl(), app.tokens.ingest, incident());
		expect(one).toEqual({ status: 202, body: { accepted: 1, duplicates: 0 } });
		const arr = await post(incidentsUrl(), app.tokens.ingest, [incident(), incident()]);
		expect(arr.body).toEqual({ accepted: 2, duplicates: 0 });
		const nd = await post(incidentsUrl(), app.tokens.ingest, [incident(), incident(), incident()], { ndjson: true });
		expect(nd.body).toEqual({ accepted: 3, duplicates: 0 });
		// The answer means durable in the local log; the store is written right after.
		await app.pipeline.drain();
		expect(await countRows(app.store, 'incidents')).toBe(before + 6);
	});

	it('counts a re-sent id as a duplicate, within a batch and across requests', async () => {
		const a = incident();
		const b = incident();
		expect((await post(incidentsUrl(), app.tokens.ingest, [a, a, b])).body).toEqual({ accepted: 2, duplicates: 1 });
		const again = await post(incidentsUrl(), app.tokens.ingest, [{ ...a, text: 'changed' }, b]);
		expect(again.body).toEqual({ accepted: 0, duplicates: 2 });
		const stored = await get(`${app.url}/api/v1/incidents/${a.id}`, app.tokens.admin);
		expect(stored.body.text).toBe(a.text);
	});

	it('rejects a batch with one bad item whole, listing index and path', async () => {
		const before = await countRows(app.store, 'incidents');
		const r = await post(incidentsUrl(), app.tokens.ingest, [incident(), incident({ category: 'nonsense' }), incident()]);
		expect(r.status).toBe(400);
		expect(r.body.error.code).toBe('invalid');
		expect(r.body.error.details).toEqual([{ index: 1, path: 'category', message: expect.any(String) }]);
		await app.pipeline.drain();
		expect(await countRows(app.store, 'incidents')).toBe(before);
	});

	it('answers 415 for a wrong content type and 413 past the limits', async () => {
		expect((await post(incidentsUrl(), app.tokens.ingest, 'id,source', { contentType: 'text/csv' })).status).toBe(415);
		const many = Array.from({ length: 10_001 }, () => incident());
		const big = await post(incidentsUrl(), app.tokens.ingest, many, { ndjson: true });
		expect(big.status).toBe(413);
		expect(big.body.error.code).toBe('payload_too_large');
	});

	it('derives the district from the point when absent, and the deadline from the working calendar', async () => {
		// Friday 2024-03-01 17:00 Barnaul: one working hour left that day, 7 more from Monday 09:00 → Mon 16:00.
		const p = DISTRICT_POINTS.oktyabrsky!;
		const x = incident({ district: undefined, lat: p.lat, lon: p.lon, created_at: '2024-03-01T17:00:00+07:00' });
		expect((await post(incidentsUrl(), app.tokens.ingest, x)).status).toBe(202);
		const stored = await get(`${app.url}/api/v1/incidents/${x.id}`, app.tokens.admin);
		expect(stored.body.district).toBe('oktyabrsky');
		expect(stored.body.deadline_at).toBe('2024-03-04T09:00:00.000Z');
		const nowhere = incident({ district: undefined });
		await post(incidentsUrl(), app.tokens.ingest, nowhere);
		expect((await get(`${app.url}/api/v1/incidents/${nowhere.id}`, app.tokens.admin)).body.district).toBe('unknown');
	});
});

describe('POST /api/v1/events and reads', () => {
	it('keeps an event that arrives before its incident and shows it once the incident arrives', async () => {
		const x = incident({ created_at: '2024-03-01T10:00:00+07:00', district: 'central' });
		const ev = { incident_id: x.id, type: 'responded', at: '2024-03-01T11:02:00+07:00', executor: 'Комитет ЖКХ', comment: 'Бригада направлена' };
		expect((await post(`${app.url}/api/v1/events`, app.tokens.ingest, ev)).body).toEqual({ accepted: 1, duplicates: 0 });
		expect((await post(`${app.url}/api/v1/events`, app.tokens.ingest, ev)).body).toEqual({ accepted: 0, duplicates: 1 });
		expect((await get(`${app.url}/api/v1/incidents/${x.id}`, app.tokens.admin)).status).toBe(404);
		await post(incidentsUrl(), app.tokens.ingest, x);
		const detail = (await get(`${app.url}/api/v1/incidents/${x.id}`, app.tokens.admin)).body;
		expect(detail.status).toBe('responded');
		expect(detail.first_response_at).toBe('2024-03-01T04:02:00.000Z');
		expect(detail.events).toEqual([
			{ incident_id: x.id, type: 'responded', at: '2024-03-01T04:02:00.000Z', executor: 'Комитет ЖКХ', comment: 'Бригада направлена' }
		]);
	});

	it('lists newest first with filters and a cursor that walks every item once', async () => {
		const ids: string[] = [];
		const batch = Array.from({ length: 7 }, (_, i) => {
			const x = incident({ district: 'leninsky', category: 'roads', created_at: new Date(Date.UTC(2024, 5, 1, 3, 0, i)).toISOString() });
			ids.push(x.id);
			return x;
		});
		await post(incidentsUrl(), app.tokens.ingest, batch);
		const seen: string[] = [];
		let cursor: string | null = null;
		do {
			const q: string = `district=leninsky&category=roads&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
			const page: { status: number; body: { items: { id: string }[]; next_cursor: string | null } } = await get(`${app.url}/api/v1/incidents?${q}`, app.tokens.wall);
			expect(page.status).toBe(200);
			seen.push(...page.body.items.map((i) => i.id));
			cursor = page.body.next_cursor;
		} while (cursor);
		expect(seen).toEqual([...ids].reverse());
		const bad = await get(`${app.url}/api/v1/incidents?status=weird`, app.tokens.wall);
		expect(bad.status).toBe(400);
		expect(bad.body.error.details[0].path).toBe('status');
	});

	it('scopes reads by the district token on the server', async () => {
		const mine = incident({ district: 'central' });
		const theirs = incident({ district: 'leninsky' });
		await post(incidentsUrl(), app.tokens.ingest, [mine, theirs]);
		const token = app.tokens.districts.central!;
		const list = await get(`${app.url}/api/v1/incidents?limit=200`, token);
		expect(list.body.items.every((i: { district: string }) => i.district === 'central')).toBe(true);
		expect((await get(`${app.url}/api/v1/incidents?district=leninsky`, token)).status).toBe(403);
		expect((await get(`${app.url}/api/v1/incidents/${theirs.id}`, token)).status).toBe(404);
		expect((await get(`${app.url}/api/v1/incidents/${mine.id}`, token)).status).toBe(200);
		const snap = await get(`${app.url}/api/v1/snapshot`, token);
		expect(snap.body.scope).toEqual({ district: 'central' });
		expect(snap.body.feed.every((i: { district: string }) => i.district === 'central')).toBe(true);
		expect((await get(`${app.url}/api/v1/snapshot?district=leninsky`, token)).status).toBe(403);
		expect((await get(`${app.url}/api/v1/snapshot`, app.tokens.ingest)).status).toBe(403);
	});

	it('serves health, readiness and metrics without a token', async () => {
		expect((await get(`${app.url}/healthz`, null)).body).toEqual({ ok: true });
		const ready = await get(`${app.url}/readyz`, null);
		expect(ready.status).toBe(200);
		expect(ready.body).toMatchObject({ ready: true, store: 'up', spool: { entries: 0 } });
		const metrics = await get(`${app.url}/metrics`, null);
		expect(metrics.body).toContain('mcu_ingest_items_total{kind="incidents",outcome="accepted"}');
		expect((await get(`${app.url}/api/v1/nothing-here`, app.tokens.admin)).status).toBe(404);
	});
});
