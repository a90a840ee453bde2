/**
 * Every shape of a point of tension through the real engine (embedded ClickHouse, the live analytics
 * with thresholds calibrated from the store's own history): one building, no address, a repost storm
 * that is not a hotspot against six residents who are, a district surge as ONE surge and not a swarm
 * of local points, a city-wide surge, and a plain background that stays quiet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadCityPack, type CityPack } from '../../server/city/pack.ts';
import { createAnalytics } from '../../server/analytics/index.ts';
import type { Calibration } from '../../server/analytics/hotspots/calibrate.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { Hotspot, HotspotAlert } from '../../src/lib/contract/snapshot.ts';
import { backgroundRows, cellPoint, lcg, pointInCity, resident } from './support/hotspot-fixtures.ts';
import { insertIncidents, local, openTestStore, type IncidentRow, type TestStore } from './support/store.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = local('2024-11-25 12:00');
let ts: TestStore;
let city: CityPack;

beforeAll(async () => {
	ts = await openTestStore();
	city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
	await insertIncidents(ts.store, backgroundRows(city, new Date(T0.getTime() + 20 * DAY), 80));
});

afterAll(async () => {
	await ts?.close();
});

/** Inserts the rows, runs the analytics once as of `now`, returns the city's hotspots and the alerts. */
async function detectAt(now: Date, rows: IncidentRow[]) {
	if (rows.length) await insertIncidents(ts.store, rows);
	const alerts: { scope: Scope; alert: HotspotAlert }[] = [];
	const calibrations: Calibration[] = [];
	const analytics = createAnalytics({
		store: ts.store,
		city,
		config: ts.config,
		publisher: { aggregates: () => undefined, hotspots: () => undefined, hotspotAlert: (scope, alert) => alerts.push({ scope, alert }) },
		now: () => now,
		onHotspotCalibration: (c) => calibrations.push(c)
	});
	try {
		const hotspots: Hotspot[] = (await analytics.snapshot({ district: null })).hotspots;
		return { hotspots, alerts, calibration: calibrations[0]! };
	} finally {
		await analytics.stop();
	}
}

const at = (now: Date, minutesAgo: number) => new Date(now.getTime() - minutesAgo * MIN);
const day = (k: number) => new Date(T0.getTime() + k * DAY);

describe('hotspot shapes through the real engine', () => {
	it('stays quiet on the plain background, with thresholds calibrated from the history', async () => {
		const r = await detectAt(day(0), []);
		expect(r.hotspots).toEqual([]);
		expect(r.calibration.historyDays).toBeGreaterThan(50);
		expect(r.calibration.local).toBeGreaterThanOrEqual(4);
		expect(r.calibration.surge).toBeGreaterThanOrEqual(4);
		expect(r.calibration.budgetPerWeek).toEqual({ local: 0.5, surge: 0.5 });
	});

	it('opens one local hotspot for seven flats of one building', async () => {
		const now = day(2);
		const house = { ...cellPoint(city, 53.3444, 83.6667), address: 'ул. Попова, 104' };
		const rows = [110, 95, 80, 60, 40, 20, 5].map((m) => resident(at(now, m), house, 'heating', { address: house.address }));
		const r = await detectAt(now, rows);
		expect(r.hotspots).toHaveLength(1);
		expect(r.hotspots[0]).toMatchObject({ kind: 'local', category: 'heating', count: 7, place: 'ул. Попова, 104', district: house.district });
		expect(r.alerts.filter((a) => a.alert.kind === 'opened' && a.scope.district === null)).toHaveLength(1);
	});

	it('opens a local hotspot for posts with coordinates and no address', async () => {
		const now = day(4);
		const next = lcg(7);
		const centre = cellPoint(city, 53.36, 83.76);
		const rows = [150, 120, 90, 60, 30, 10].map((m) =>
			resident(at(now, m), { lat: centre.lat + (next() - 0.5) * 0.003, lon: centre.lon + (next() - 0.5) * 0.004, district: centre.district }, 'water')
		);
		const r = await detectAt(now, rows);
		expect(r.hotspots.map((h) => [h.kind, h.category, h.count])).toEqual([['local', 'water', 6]]);
		expect(r.hotspots[0]!.place).toBeUndefined();
	});

	it('does not open a hotspot for one post copied six times, but does for six residents', async () => {
		const now = day(6);
		const spot = { ...cellPoint(city, 53.335, 83.7), address: 'ул. Антона Петрова, 221' };
		const original = resident(at(now, 90), spot, 'housing', {
			address: spot.address,
			text: 'В доме на Антона Петрова третий день не работает лифт, пожилые люди не могут выйти, управляющая компания молчит'
		});
		const copies = [80, 70, 55, 40, 25, 10].map((m, k) =>
			resident(at(now, m), spot, 'housing', {
				address: spot.address,
				text: `${['Репост: ', 'Поддерживаю! ', '#барнаул '][k % 3]}${original.text}`,
				url: k % 2 === 0 ? original.url : `https://ok.ru/post/${k}`
			})
		);
		const storm = await detectAt(now, [original, ...copies]);
		expect(storm.hotspots).toEqual([]);

		const later = day(8);
		const residents = [100, 85, 70, 50, 30, 10].map((m) => resident(at(later, m), spot, 'housing', { address: spot.address }));
		const six = await detectAt(later, residents);
		expect(six.hotspots.map((h) => [h.kind, h.category, h.count])).toEqual([['local', 'housing', 6]]);
	});

	it('shows a district-wide surge as ONE surge, not as local hotspots', async () => {
		const now = day(10);
		const next = lcg(11);
		const rows: IncidentRow[] = [];
		while (rows.length < 40) {
			const p = pointInCity(city, next);
			if (p.district !== 'industrialny') continue;
			const located = next() > 0.3;
			rows.push(resident(at(now, Math.floor(next() * 170)), located ? p : { district: p.district }, 'snow'));
		}
		const r = await detectAt(now, rows);
		// forty posts over the district: one surge, and the chance clumps among them are not local points
		expect(r.hotspots.map((h) => [h.kind, h.category, h.district])).toEqual([['surge', 'snow', 'industrialny']]);
		expect(r.hotspots[0]!.cells).toEqual([]);
		expect(r.hotspots[0]!.count).toBeGreaterThanOrEqual(40);
		const opened = r.alerts.filter((a) => a.alert.kind === 'opened');
		expect(opened.map((a) => a.scope.district).sort()).toEqual([null, 'industrialny'].sort());
	});

	it('shows snow all over the city as one city-wide surge (district null)', async () => {
		const now = day(12);
		const next = lcg(13);
		const rows = Array.from({ length: 80 }, () => {
			const p = pointInCity(city, next);
			return resident(at(now, Math.floor(next() * 700)), next() > 0.2 ? p : { district: p.district }, 'snow');
		});
		const r = await detectAt(now, rows);
		const surges = r.hotspots.filter((h) => h.kind === 'surge');
		expect(surges.map((h) => [h.category, h.district])).toEqual([['snow', null]]);
		expect(r.hotspots.filter((h) => h.kind === 'local' && h.category === 'snow')).toEqual([]);
	});
});
