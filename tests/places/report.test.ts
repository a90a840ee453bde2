/**
 * The weekly report's root causes through the real engine, worked by hand: 2024-W10 (Mon 4 – Sun 10 March,
 * Asia/Barnaul) against the week before.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents, insertIncidents, local, openTestStore, type TestStore } from '../analytics/support/store.ts';
import { loadCityPack, cityPublic } from '../../server/city/pack.ts';
import { backfillPlaceKeys } from '../../server/places/backfill.ts';
import { weekRootCauses } from '../../server/places/report.ts';

const TZ = 'Asia/Barnaul';
const city = cityPublic(loadCityPack(path.resolve('city/barnaul'), TZ));
let t: TestStore;
let roots: Awaited<ReturnType<typeof weekRootCauses>>;

const row = (id: string, at: string, district: string, category: string, where: { address?: string; lat?: number; lon?: number }) => ({
	id, created_at: local(at), deadline_at: local(at), district, category, ...where
});

/**
 * - Попова 1, heating (industrialny): 20 Feb, 27 Feb (prev week, repeats 20 Feb), 5 Mar and 7 Mar (week, repeats;
 *   27 Feb was answered on 28 Feb, so 5 Mar came after an answer).
 * - Юрина 5, water (central): 6 Mar only.
 * - a point without address, roads (industrialny): 5 Mar, 6 Mar (repeat).
 * Week: 5 incidents, 3 repeats; week before: 1 incident, 1 repeat.
 */
beforeAll(async () => {
	t = await openTestStore('mcu-places-report-');
	await insertIncidents(t.store, [
		row('p1a', '2024-02-20 10:00', 'industrialny', 'heating', { address: 'ул. Попова, 1' }),
		row('p1b', '2024-02-27 10:00', 'industrialny', 'heating', { address: 'Попова ул., д. 1' }),
		row('p1c', '2024-03-05 10:00', 'industrialny', 'heating', { address: 'улица Попова 1' }),
		row('p1d', '2024-03-07 10:00', 'industrialny', 'heating', { address: 'ул. Попова, 1' }),
		row('p2', '2024-03-06 10:00', 'central', 'water', { address: 'ул. Юрина, 5' }),
		row('p3a', '2024-03-05 12:00', 'industrialny', 'roads', { lat: 53.3444, lon: 83.6667 }),
		row('p3b', '2024-03-06 12:00', 'industrialny', 'roads', { lat: 53.34441, lon: 83.66671 })
	]);
	await insertEvents(t.store, [{ incident_id: 'p1b', type: 'responded', at: local('2024-02-28 11:00') }]);
	await backfillPlaceKeys(t.store, { cityNames: ['Барнаул'] });
	roots = await weekRootCauses(t.store, city, { start: local('2024-03-04 00:00'), end: local('2024-03-11 00:00') }, local('2024-02-26 00:00'), TZ);
});
afterAll(async () => {
	await t?.close();
});

describe('report root causes', () => {
	it('gives the repeat share of the week and of the week before', () => {
		expect(roots(null).repeats).toEqual({ n: 5, repeats: 3, share: 0.6, n_prev: 1, repeats_prev: 1, share_prev: 1 });
		expect(roots('central').repeats).toMatchObject({ n: 1, repeats: 0, share: 0, n_prev: 0, share_prev: null });
	});

	it('lists the week’s chronic places with their history, the one repeated after an answer first', () => {
		const places = roots(null).chronic!;
		expect(places.map((p) => [p.place_key.slice(0, 2), p.category, p.count, p.repeats_after_answer])).toEqual([
			['a:', 'heating', 2, 1],
			['g:', 'roads', 2, 0]
		]);
		expect(places[0]!.months).toEqual([{ month: '2024-02', n: 2 }, { month: '2024-03', n: 2 }]);
		expect(roots('industrialny').chronic).toHaveLength(2);
		expect(roots('central').chronic).toEqual([]);
	});
});
