/**
 * Surges reach the weekly report: the live analytics log every alert it raises (hotspot_log), and the
 * report of the week lists the surges, the city-wide one in every district's sheet and a district's
 * own only in that district's and the city's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { cityPublic, loadCityPack, type CityPack } from '../../server/city/pack.ts';
import { createAnalytics } from '../../server/analytics/index.ts';
import { logAlerts } from '../../server/analytics/hotspots/alert-log.ts';
import { buildReportData } from '../../server/reports/data.ts';
import { weekOf } from '../../server/reports/week.ts';
import { backgroundRows, lcg, pointInCity, resident } from './support/hotspot-fixtures.ts';
import { insertIncidents, local, openTestStore, type IncidentRow, type TestStore } from './support/store.ts';

const TZ = 'Asia/Barnaul';
const NOW = local('2024-11-27 14:00');
let ts: TestStore;
let city: CityPack;

beforeAll(async () => {
	ts = await openTestStore();
	city = loadCityPack(path.resolve('city/barnaul'), TZ);
	await insertIncidents(ts.store, backgroundRows(city, NOW, 60, 25, 5));
});

afterAll(async () => {
	await ts?.close();
});

describe('surges in the weekly report', () => {
	it('logs the surge the live analytics raise and lists it in the week’s sheets', async () => {
		const next = lcg(3);
		const rows: IncidentRow[] = [];
		while (rows.length < 35) {
			const p = pointInCity(city, next);
			if (p.district === 'leninsky') rows.push(resident(new Date(NOW.getTime() - Math.floor(next() * 170) * 60_000), p, 'snow'));
		}
		await insertIncidents(ts.store, rows);
		const analytics = createAnalytics({
			store: ts.store,
			city,
			config: ts.config,
			publisher: { aggregates: () => undefined, hotspots: () => undefined, hotspotAlert: () => undefined },
			now: () => NOW
		});
		const surge = (await analytics.snapshot({ district: null })).hotspots.find((h) => h.kind === 'surge');
		await analytics.stop();
		expect(surge).toMatchObject({ district: 'leninsky', category: 'snow' });
		// and a city-wide one of another category, logged as the engine would
		await logAlerts(ts.store, NOW, [{ kind: 'opened', hotspot: { ...surge!, id: 'hs-city', district: null, category: 'water', count: 90 } }]);

		const data = await buildReportData(ts.store, cityPublic(city), weekOf(NOW, TZ), TZ);
		const of = (code: string | null) => (data.scopes.find((s) => s.district === code)!.surges ?? []).map((g) => [g.district, g.category]).sort();
		expect(of(null)).toEqual([[null, 'water'], ['leninsky', 'snow']].sort());
		expect(of('leninsky')).toEqual([[null, 'water'], ['leninsky', 'snow']].sort());
		expect(of('central')).toEqual([[null, 'water']]);
		const leninsky = data.scopes.find((s) => s.district === 'leninsky')!.surges!.find((g) => g.category === 'snow')!;
		expect(leninsky.count).toBe(surge!.count);
		expect(leninsky.id).toBe(surge!.id);
	});
});
