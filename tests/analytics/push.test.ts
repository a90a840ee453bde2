/**
 * Live pushes through the publisher: after an ingest notification the city scope and the touched
 * district scope get `aggregates` with only what changed; a burst across a district border opens ONE
 * hotspot, pushed to the city and to both districts it touches, and shown in their snapshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { loadCityPack, type CityPack } from '../../server/city/pack.ts';
import { createAnalytics, type Analytics } from '../../server/analytics/index.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { Hotspot, HotspotAlert, SnapshotDelta } from '../../src/lib/contract/snapshot.ts';
import { insertIncidents, local, openTestStore, type IncidentRow, type TestStore } from './support/store.ts';

const NOW = local('2024-03-11 10:30');
let ts: TestStore;
let city: CityPack;
let analytics: Analytics;
const deltas: SnapshotDelta[] = [];
const lists: { scope: Scope; hotspots: Hotspot[] }[] = [];
const alerts: { scope: Scope; alert: HotspotAlert }[] = [];
const publisher = {
	aggregates: (d: SnapshotDelta) => deltas.push(d),
	hotspots: (scope: Scope, hotspots: Hotspot[]) => lists.push({ scope, hotspots }),
	hotspotAlert: (scope: Scope, alert: HotspotAlert) => alerts.push({ scope, alert })
};

/** Waits (up to 30 s: a loaded CI machine is slow, a wrong answer still fails the assertion after it) for `cond`. */
const waitFor = async (cond: () => boolean) => {
	for (let i = 0; i < 1200 && !cond(); i++) await new Promise((r) => setTimeout(r, 25));
};

/** A res-9 cell whose centre is in `a` with a neighbour whose centre is in `b` (a border pair). */
function borderPair(a: string, b: string): [string, string] {
	const res = 0.004;
	for (let lat = 53.28; lat < 53.42; lat += res) {
		for (let lon = 83.6; lon < 83.85; lon += res) {
			const c = latLngToCell(lat, lon, 9);
			const [clat, clon] = cellToLatLng(c);
			if (city.districtAt(clat, clon) !== a) continue;
			const n = gridDisk(c, 1).find((x) => {
				const [nlat, nlon] = cellToLatLng(x);
				return city.districtAt(nlat, nlon) === b;
			});
			if (n) return [c, n];
		}
	}
	throw new Error(`no border between ${a} and ${b}`);
}

beforeAll(async () => {
	ts = await openTestStore();
	city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
	// a quiet history: one incident a day somewhere far from the burst, for 8 weeks
	const history: IncidentRow[] = Array.from({ length: 56 }, (_, k) => ({
		id: `bg${k}`,
		district: 'oktyabrsky',
		category: 'roads',
		created_at: new Date(NOW.getTime() - (k + 2) * 86_400_000),
		deadline_at: new Date(NOW.getTime() - (k + 1) * 86_400_000),
		lat: 53.3694,
		lon: 83.7667
	}));
	await insertIncidents(ts.store, history);
	analytics = createAnalytics({
		store: ts.store,
		city,
		config: ts.config,
		publisher,
		now: () => NOW,
		timing: { debounceMs: 10, minPushIntervalMs: 10 }
	});
});

afterAll(async () => {
	await analytics?.stop();
	await ts?.close();
});

describe('push after ingest', () => {
	it('sends the changed parts to the city and the touched district, and one hotspot across the border', async () => {
		const [a, b] = borderPair('industrialny', 'leninsky');
		const at = (cell: string, minutesAgo: number, n: number): IncidentRow => {
			const [lat, lon] = cellToLatLng(cell);
			return {
				id: `burst${n}`,
				district: city.districtAt(lat, lon)!,
				category: 'heating',
				created_at: new Date(NOW.getTime() - minutesAgo * 60_000),
				deadline_at: new Date(NOW.getTime() + 8 * 3_600_000),
				lat,
				lon,
				address: `ул. Попова, ${100 + 2 * n}`
			};
		};
		await insertIncidents(ts.store, [at(a, 100, 1), at(a, 70, 2), at(a, 40, 3), at(b, 20, 4), at(b, 5, 5)]);
		analytics.notifyIngest(new Set(['industrialny', 'leninsky']));
		await waitFor(() => alerts.length >= 3 && deltas.length >= 3);

		// aggregates: the city and the two touched districts, each with only its own numbers
		const scopes = deltas.map((d) => d.scope.district).sort();
		expect(scopes).toEqual([null, 'industrialny', 'leninsky'].sort());
		const ind = deltas.find((d) => d.scope.district === 'industrialny')!;
		expect(ind.districts?.map((d) => d.code)).toEqual(['industrialny']);
		expect(ind.kpis?.today).toBe(3);
		expect(deltas.find((d) => d.scope.district === null)!.kpis?.today).toBe(5);

		// one hotspot, opened for the city and for both districts it touches
		const opened = alerts.filter((x) => x.alert.kind === 'opened');
		expect(opened.map((x) => x.scope.district).sort()).toEqual([null, 'industrialny', 'leninsky'].sort());
		const ids = new Set(opened.map((x) => x.alert.hotspot.id));
		expect(ids.size).toBe(1);
		const h = opened[0]!.alert.hotspot;
		expect(h).toMatchObject({ district: 'industrialny', category: 'heating', count: 5, growing: true, window_h: 3 });
		expect(h.cells).toEqual([a, b].sort());
		expect(h.started_at).toBe(new Date(NOW.getTime() - 100 * 60_000).toISOString());
		// hotspot lists: the touched scopes see it; another district's list stays empty
		expect(lists.filter((l) => l.scope.district === 'leninsky').at(-1)!.hotspots.map((x) => x.id)).toEqual([h.id]);
		expect(lists.filter((l) => l.scope.district === 'oktyabrsky').flatMap((l) => l.hotspots)).toEqual([]);

		// a second notification with nothing new pushes nothing new
		const before = { deltas: deltas.length, alerts: alerts.length, lists: lists.length };
		analytics.notifyIngest(new Set(['industrialny']));
		await new Promise((r) => setTimeout(r, 300));
		expect({ deltas: deltas.length, alerts: alerts.length, lists: lists.length }).toEqual(before);

		// snapshots: the hotspot in both touched districts' scopes, not in another one
		expect((await analytics.snapshot({ district: 'leninsky' })).hotspots.map((x) => x.id)).toEqual([h.id]);
		expect((await analytics.snapshot({ district: null })).hotspots.map((x) => x.id)).toEqual([h.id]);
		expect((await analytics.snapshot({ district: 'central' })).hotspots).toEqual([]);
	});
});
