/**
 * A fresh deployment: five days of history in the real store. The calibration says so (history days,
 * a budget scaled down, thresholds raised to the cold-start bound) and a burst at one building is still
 * found; the background alone stays quiet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadCityPack, type CityPack } from '../../server/city/pack.ts';
import { createAnalytics } from '../../server/analytics/index.ts';
import type { Calibration } from '../../server/analytics/hotspots/calibrate.ts';
import { HOTSPOT_PARAMS } from '../../server/analytics/hotspots/params.ts';
import { backgroundRows, cellPoint, resident } from './support/hotspot-fixtures.ts';
import { insertIncidents, local, openTestStore, type TestStore } from './support/store.ts';

const MIN = 60_000;
const NOW = local('2024-12-02 15:00');
let ts: TestStore;
let city: CityPack;

beforeAll(async () => {
	ts = await openTestStore();
	city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
	await insertIncidents(ts.store, backgroundRows(city, NOW, 5, 25, 99));
});

afterAll(async () => {
	await ts?.close();
});

async function run(now: Date) {
	const calibrations: Calibration[] = [];
	const analytics = createAnalytics({
		store: ts.store,
		city,
		config: ts.config,
		publisher: { aggregates: () => undefined, hotspots: () => undefined, hotspotAlert: () => undefined },
		now: () => now,
		onHotspotCalibration: (c) => calibrations.push(c)
	});
	try {
		return { hotspots: (await analytics.snapshot({ district: null })).hotspots, calibration: calibrations[0]! };
	} finally {
		await analytics.stop();
	}
}

describe('cold start', () => {
	it('calibrates conservatively on five days and stays quiet on the background', async () => {
		const r = await run(NOW);
		expect(r.hotspots).toEqual([]);
		expect(r.calibration.historyDays).toBeGreaterThan(4.5);
		expect(r.calibration.historyDays).toBeLessThan(5.01);
		// budget 1 a week × 5/28, half to each kind
		const share = (HOTSPOT_PARAMS.falseAlarmsPerWeek * r.calibration.historyDays) / HOTSPOT_PARAMS.coldStartDays / 2;
		expect(r.calibration.budgetPerWeek.local).toBeCloseTo(share, 9);
		expect(r.calibration.choice.local.extrapolated).toBe(true);
		expect(r.calibration.local).toBeGreaterThan(10);
	});

	it('still finds six flats of one building', async () => {
		const later = new Date(NOW.getTime() + 60 * MIN);
		const house = { ...cellPoint(city, 53.35, 83.75), address: 'ул. Малахова, 86' };
		await insertIncidents(
			ts.store,
			[100, 80, 60, 40, 25, 10].map((m) => resident(new Date(later.getTime() - m * MIN), house, 'heating', { address: house.address }))
		);
		const r = await run(later);
		expect(r.hotspots.map((h) => [h.kind, h.category, h.count, h.place])).toEqual([['local', 'heating', 6, 'ул. Малахова, 86']]);
		expect(r.hotspots[0]!.score).toBeGreaterThanOrEqual(r.calibration.local);
	});
});
