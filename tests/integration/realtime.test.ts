/** Socket.IO `/live` with real clients: auth, scopes, live pushes, subscribe, recovery. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { connectLive, connected, nextEvent, until, type LiveSocket } from '../helpers/live.ts';
import { incident } from '../helpers/incidents.ts';
import type { IncidentView } from '../../src/lib/contract/incident.ts';

let app: StartedApp;
const sockets: LiveSocket[] = [];
function open(token: string | null): LiveSocket {
	const s = connectLive(app.url, token);
	sockets.push(s);
	return s;
}

beforeAll(async () => {
	app = await startApp({ pages: false });
});
afterAll(async () => {
	for (const s of sockets) s.close();
	await app?.stop();
});

describe('/live', () => {
	it('refuses a missing or wrong token with `unauthorized` and an ingest token with `forbidden`', async () => {
		await expect(connected(open(null))).rejects.toThrow('unauthorized');
		await expect(connected(open('wrong-token-wrong-token'))).rejects.toThrow('unauthorized');
		await expect(connected(open(app.tokens.ingest))).rejects.toThrow('forbidden');
	});

	it('sends the version and a snapshot of the socket scope on connect', async () => {
		const s = open(app.tokens.districts.central!);
		const version = nextEvent(s, 'server:version');
		const snapshot = nextEvent(s, 'snapshot');
		expect((await version).version).toMatch(/^\d+\.\d+\.\d+\+/);
		const snap = await snapshot;
		expect(snap.scope).toEqual({ district: 'central' });
		expect(typeof snap.kpis.today).toBe('number');
	});

	it('pushes each incident to the city scope and to its own district only', async () => {
		const wall = open(app.tokens.wall);
		const byDistrict = Object.fromEntries(Object.entries(app.tokens.districts).map(([code, token]) => [code, open(token)]));
		await Promise.all([wall, ...Object.values(byDistrict)].map((s) => nextEvent(s, 'snapshot')));
		const got: Record<string, IncidentView[]> = { wall: [] };
		wall.on('incident', (i) => got.wall!.push(i));
		for (const [code, s] of Object.entries(byDistrict)) {
			got[code] = [];
			s.on('incident', (i) => got[code]!.push(i));
		}
		const codes = Object.keys(byDistrict);
		const sent = codes.flatMap((code, k) => Array.from({ length: k + 1 }, () => incident({ district: code })));
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, sent)).status).toBe(202);
		await until(() => got.wall!.length === sent.length, 10_000, 'wall incidents');
		codes.forEach((code, k) => expect(got[code]!.length).toBeGreaterThanOrEqual(0));
		await until(() => codes.every((code, k) => got[code]!.length === k + 1), 10_000, 'district incidents');
		for (const code of codes) expect(got[code]!.every((i) => i.district === code)).toBe(true);
		expect(new Set(got.wall!.map((i) => i.id))).toEqual(new Set(sent.map((i) => i.id)));
	});

	it('lets a wall subscribe to a district and refuses a district token elsewhere', async () => {
		const wall = open(app.tokens.wall);
		await nextEvent(wall, 'snapshot');
		const snap = nextEvent(wall, 'snapshot');
		expect(await wall.emitWithAck('subscribe', { district: 'leninsky' })).toEqual({ ok: true });
		expect((await snap).scope).toEqual({ district: 'leninsky' });
		const seen: string[] = [];
		wall.on('incident', (i) => seen.push(i.district));
		await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [incident({ district: 'central' }), incident({ district: 'leninsky' })]);
		await until(() => seen.length >= 1, 5000, 'leninsky incident');
		const head = open(app.tokens.districts.central!);
		await nextEvent(head, 'snapshot');
		expect(await head.emitWithAck('subscribe', { district: 'leninsky' })).toEqual({ error: 'forbidden' });
		expect(await head.emitWithAck('subscribe', { district: null })).toEqual({ error: 'forbidden' });
		expect(await head.emitWithAck('subscribe', { district: 'central' })).toEqual({ ok: true });
		expect(await wall.emitWithAck('subscribe', { district: 'atlantis' })).toEqual({ error: 'unknown_district' });
		expect(await wall.emitWithAck('subscribe', { nonsense: 1 } as never)).toEqual({ error: 'invalid' });
		expect(seen).toEqual(['leninsky']);
	});

	it('pushes status events of incidents in scope', async () => {
		const x = incident({ district: 'oktyabrsky' });
		await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, x);
		const head = open(app.tokens.districts.oktyabrsky!);
		await nextEvent(head, 'snapshot');
		const status = nextEvent(head, 'incident:status');
		await post(`${app.url}/api/v1/events`, app.tokens.ingest, { incident_id: x.id, type: 'assigned', at: new Date().toISOString(), executor: 'Администрация района' });
		expect(await status).toMatchObject({ incident_id: x.id, type: 'assigned', executor: 'Администрация района', district: 'oktyabrsky' });
	});

	it('replays what a socket missed during a short disconnect', async () => {
		const s = open(app.tokens.wall);
		await nextEvent(s, 'snapshot');
		// Let the server record a recovery offset: recovery needs at least one packet after connect.
		const first = nextEvent(s, 'incident');
		const r = await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, incident());
		expect(r.status).toBe(202);
		await first;
		const ids: string[] = [];
		s.on('incident', (i) => ids.push(i.id));
		s.io.engine.close();
		await until(() => !s.connected, 5000, 'disconnect');
		const missed = [incident(), incident()];
		await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, missed);
		await until(() => s.connected, 10_000, 'reconnect');
		expect(s.recovered).toBe(true);
		await until(() => missed.every((m) => ids.includes(m.id)), 5000, 'missed incidents');
		expect(ids.filter((id) => missed.some((m) => m.id === id))).toHaveLength(2);
	});
});
