/**
 * Socket.IO `/live` with every role: who may connect, who may subscribe where, which client events exist,
 * and that every server event reaches only the scopes it belongs to — counted exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentStatusMessage } from '../../src/lib/contract/events.ts';
import type { IncidentView } from '../../src/lib/contract/incident.ts';
import type { Hotspot, SnapshotDelta } from '../../src/lib/contract/snapshot.ts';
import { SocketPublisher } from '../../server/realtime/publisher.ts';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { connectLive, connected, nextEvent, until, type LiveSocket } from '../helpers/live.ts';
import { incident } from '../helpers/incidents.ts';
import { DISTRICTS, OWN, ROLES, tokenOf, type RoleName } from './support/roles.ts';

let app: StartedApp;
const sockets: LiveSocket[] = [];
function open(token: string | null): LiveSocket {
	const s = connectLive(app.url, token);
	sockets.push(s);
	return s;
}

beforeAll(async () => {
	app = await startApp({ pages: false, env: { MCU_REPORTS: '0' } });
});
afterAll(async () => {
	for (const s of sockets) s.close();
	await app?.stop();
});

type Outcome = string;
const isDistrict = (r: RoleName) => r.startsWith('district:');

/** What each role gets: the connect result, then the ack of each subscribe. */
function expected(role: RoleName): Record<string, Outcome> {
	if (role === 'none' || role === 'wrong') return { connect: 'unauthorized' };
	if (role === 'ingest') return { connect: 'forbidden' };
	if (!isDistrict(role)) {
		return { connect: 'scope:city', 'subscribe:city': 'ok', [`subscribe:${OWN}`]: 'ok', 'subscribe:central': 'ok', 'subscribe:atlantis': 'unknown_district', 'subscribe:bad': 'invalid' };
	}
	const mine = role.slice('district:'.length);
	return {
		connect: `scope:${mine}`,
		'subscribe:city': 'forbidden',
		[`subscribe:${OWN}`]: mine === OWN ? 'ok' : 'forbidden',
		'subscribe:central': mine === 'central' ? 'ok' : 'forbidden',
		'subscribe:atlantis': 'unknown_district',
		'subscribe:bad': 'invalid'
	};
}

const ackText = (a: { ok: true } | { error: string }) => ('ok' in a ? 'ok' : a.error);

describe('/live access', () => {
	it('lists exactly the client events the table covers', async () => {
		const s = open(app.tokens.wall);
		await nextEvent(s, 'snapshot');
		const server = [...app.app.live.nsp.sockets.values()].find((x) => x.id === s.id)!;
		const reserved = new Set(['disconnect', 'disconnecting', 'error']);
		expect(server.eventNames().filter((e) => !reserved.has(String(e)))).toEqual(['subscribe']);
		// And the server events the scoping tests below cover: one publisher method each.
		const methods = Object.getOwnPropertyNames(SocketPublisher.prototype).filter((m) => m !== 'constructor');
		expect(new Set(methods)).toEqual(new Set(['incident', 'status', 'aggregates', 'hotspots', 'hotspotAlert']));
	});

	it('gives every role exactly the written answer to connect and to each subscribe', async () => {
		const got: Record<string, Record<string, Outcome>> = {};
		const want: Record<string, Record<string, Outcome>> = {};
		for (const role of ROLES) {
			want[role] = expected(role);
			const s = open(tokenOf(role, app.tokens));
			const snapshot = nextEvent(s, 'snapshot').catch(() => null);
			const r: Record<string, Outcome> = {};
			try {
				await connected(s);
			} catch (e) {
				r.connect = (e as Error).message;
				got[role] = r;
				s.close();
				continue;
			}
			r.connect = `scope:${(await snapshot)?.scope.district ?? 'city'}`;
			r['subscribe:city'] = ackText(await s.emitWithAck('subscribe', { district: null }));
			r[`subscribe:${OWN}`] = ackText(await s.emitWithAck('subscribe', { district: OWN }));
			r['subscribe:central'] = ackText(await s.emitWithAck('subscribe', { district: 'central' }));
			r['subscribe:atlantis'] = ackText(await s.emitWithAck('subscribe', { district: 'atlantis' }));
			r['subscribe:bad'] = ackText(await s.emitWithAck('subscribe', { district: 7 } as never));
			got[role] = r;
			s.close();
		}
		expect(got).toEqual(want);
	});
});

describe('/live scoping, counted exactly', () => {
	let wall: LiveSocket;
	const heads: Record<string, LiveSocket> = {};
	type Seen = { incidents: IncidentView[]; statuses: IncidentStatusMessage[]; aggregates: SnapshotDelta[]; hotspots: string[]; alerts: string[] };
	const seen: Record<string, Seen> = {};

	beforeAll(async () => {
		wall = open(app.tokens.wall);
		for (const d of DISTRICTS) heads[d] = open(app.tokens.districts[d]!);
		const all: [string, LiveSocket][] = [['wall', wall], ...Object.entries(heads)];
		await Promise.all(all.map(([, s]) => nextEvent(s, 'snapshot')));
		for (const [name, s] of all) {
			const box: Seen = { incidents: [], statuses: [], aggregates: [], hotspots: [], alerts: [] };
			seen[name] = box;
			s.on('incident', (i) => box.incidents.push(i));
			s.on('incident:status', (m) => box.statuses.push(m));
			s.on('aggregates', (a) => box.aggregates.push(a));
			s.on('hotspots', (h) => box.hotspots.push(...h.hotspots.map((x) => `${h.scope.district ?? 'city'}/${x.id}`)));
			s.on('hotspot:alert', (a) => box.alerts.push(a.hotspot.id));
		}
	});

	/** Socket.IO keeps order per socket: once a marker sent after everything arrives, nothing else is in flight. */
	async function drain(): Promise<void> {
		const markers = DISTRICTS.map((d) => incident({ district: d, id: `marker-${d}-${Date.now()}` }));
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, markers)).status).toBe(202);
		await until(() => DISTRICTS.every((d) => seen[d]!.incidents.some((i) => i.id === markers.find((m) => m.district === d)!.id)), 15_000, 'markers');
		for (const d of DISTRICTS) seen[d]!.incidents = seen[d]!.incidents.filter((i) => !i.id.startsWith('marker-'));
		await until(() => markers.every((m) => seen.wall!.incidents.some((i) => i.id === m.id)), 15_000, 'wall markers');
		seen.wall!.incidents = seen.wall!.incidents.filter((i) => !i.id.startsWith('marker-'));
	}

	it('delivers incidents of all five districts to each district socket only for its own district', async () => {
		// 1, 2, 3, 4, 5 incidents by district, and two without a place (district «unknown»).
		const sent = DISTRICTS.flatMap((d, k) => Array.from({ length: k + 1 }, () => incident({ district: d })));
		const unplaced = [incident({ district: undefined }), incident({ district: undefined })];
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [...sent, ...unplaced])).status).toBe(202);
		await until(() => seen.wall!.incidents.length === sent.length + unplaced.length, 15_000, 'wall incidents');
		await drain();
		for (const [k, d] of DISTRICTS.entries()) {
			const ids = seen[d]!.incidents.map((i) => i.id).sort();
			expect({ d, ids }).toEqual({ d, ids: sent.filter((i) => i.district === d).map((i) => i.id).sort() });
			expect(ids).toHaveLength(k + 1);
		}
		expect(seen.wall!.incidents.map((i) => i.id).sort()).toEqual([...sent, ...unplaced].map((i) => i.id).sort());
	});

	it('delivers status events the same way', async () => {
		const placed = DISTRICTS.map((d) => incident({ district: d }));
		await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, placed);
		const at = new Date().toISOString();
		const events = placed.flatMap((i, k) => Array.from({ length: k + 1 }, (_, j) => ({ incident_id: i.id, type: 'assigned' as const, at: new Date(Date.parse(at) - j * 1000).toISOString(), executor: 'Исполнитель' })));
		for (const d of DISTRICTS) seen[d]!.statuses = [];
		seen.wall!.statuses = [];
		expect((await post(`${app.url}/api/v1/events`, app.tokens.ingest, events)).status).toBe(202);
		await until(() => seen.wall!.statuses.length === events.length, 15_000, 'wall statuses');
		await drain();
		for (const [k, d] of DISTRICTS.entries()) {
			expect(seen[d]!.statuses).toHaveLength(k + 1);
			expect(seen[d]!.statuses.every((m) => m.district === d && m.incident_id === placed[k]!.id)).toBe(true);
		}
	});

	it('sends aggregates only of the socket’s own scope', async () => {
		await until(() => DISTRICTS.every((d) => seen[d]!.aggregates.length > 0), 15_000, 'aggregates');
		for (const d of DISTRICTS) {
			expect(seen[d]!.aggregates.every((a) => a.scope.district === d)).toBe(true);
			expect(seen[d]!.aggregates.every((a) => !a.districts || a.districts.every((x) => x.code === d))).toBe(true);
		}
		expect(seen.wall!.aggregates.every((a) => a.scope.district === null)).toBe(true);
	});

	it('routes hotspots and hotspot alerts to the one scope they are published for', async () => {
		const publisher = app.app.live.publisher;
		const spot = (d: string): Hotspot => ({ id: `hs-${d}`, district: d, kind: 'local', cells: [], center: { lat: 53.35, lon: 83.7 }, category: 'heating', count: 5, expected: 0.5, score: 9, started_at: new Date().toISOString(), growing: true });
		for (const d of DISTRICTS) {
			seen[d]!.hotspots = [];
			seen[d]!.alerts = [];
		}
		for (const d of DISTRICTS) {
			publisher.hotspots({ district: d }, [spot(d)]);
			publisher.hotspotAlert({ district: d }, { kind: 'opened', hotspot: spot(d) });
		}
		await drain();
		for (const d of DISTRICTS) {
			// Only test hotspots (`hs-…`) are counted: the engine may publish its own (empty) lists meanwhile.
			expect(seen[d]!.hotspots.filter((x) => x.includes('/hs-'))).toEqual([`${d}/hs-${d}`]);
			expect(seen[d]!.alerts).toEqual([`hs-${d}`]);
		}
		expect(seen.wall!.alerts).toEqual([]);
		expect(seen.wall!.hotspots.filter((x) => x.includes('/hs-'))).toEqual([]);
	});

	it('keeps a district socket in its district after it tried to leave', async () => {
		const s = open(app.tokens.districts[OWN]!);
		await nextEvent(s, 'snapshot');
		expect(await s.emitWithAck('subscribe', { district: null })).toEqual({ error: 'forbidden' });
		expect(await s.emitWithAck('subscribe', { district: 'central' })).toEqual({ error: 'forbidden' });
		const got: string[] = [];
		s.on('incident', (i) => got.push(i.id));
		const mine = incident({ district: OWN });
		await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [incident({ district: 'central' }), mine]);
		await drain();
		await until(() => got.some((id) => id.startsWith('marker-')), 10_000, 'own marker');
		// Its own incident, then the marker of its district that drain() sent: nothing from central.
		expect(got).toEqual([mine.id, expect.stringMatching(new RegExp(`^marker-${OWN}-`))]);
	});
});
