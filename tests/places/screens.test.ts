/** The pure parts of the screens that show root causes: scene rotation, the places map, words and history bars. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCityPack, cityPublic } from '../../server/city/pack.ts';
import { parseScenes } from '../../src/lib/live/scenes.ts';
import { buildPlacesMap } from '../../src/lib/places/map.ts';
import { monthBars, placeTitle } from '../../src/lib/places/format.ts';
import { placesUrl } from '../../src/lib/places/fetch.ts';
import { createLabels } from '../../src/lib/format/labels.ts';
import type { ChronicPlace } from '../../src/lib/contract/places.ts';

const city = cityPublic(loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul'));
const place = (over: Partial<ChronicPlace>): ChronicPlace => ({
	place_key: 'a:попова|104', kind: 'address', address: 'ул. Попова, 104', district: 'industrialny', category: 'heating', lat: 53.3444, lon: 83.6667,
	count: 6, months: [{ month: '2024-01', n: 2 }, { month: '2024-03', n: 4 }], repeats: 5, repeats_after_answer: 3, repeat_after_answer_share: 0.5,
	first_at: '2024-01-05T00:00:00.000Z', last_at: '2024-03-05T00:00:00.000Z', last_answer: null, ...over
});

describe('root-cause screens', () => {
	it('rotate to the repeats scene when asked', () => {
		const plan = parseScenes(new URLSearchParams('scenes=overview,repeats,nonsense&every=30'), ['industrialny']);
		expect(plan.scenes).toEqual([{ kind: 'overview' }, { kind: 'repeats' }]);
	});

	it('put each located place inside the frame, bigger for more incidents, numbered by rank', () => {
		const map = buildPlacesMap(city.boundaries, [place({}), place({ place_key: 'g:x', count: 2, lat: 53.3222, lon: 83.7783 }), place({ place_key: 'n:y', lat: null, lon: null })], null);
		expect(map.districts).toHaveLength(city.districts.length);
		expect(map.points.map((p) => p.rank)).toEqual([1, 2]);
		for (const p of map.points) {
			expect(p.x).toBeGreaterThan(0);
			expect(p.x).toBeLessThan(map.width);
			expect(p.y).toBeGreaterThan(0);
			expect(p.y).toBeLessThan(map.height);
		}
		expect(map.points[0]!.r).toBeGreaterThan(map.points[1]!.r);
	});

	it('name a place by its address or its district, and fill a year of months', () => {
		const labels = createLabels(city);
		expect(placeTitle(place({}), labels)).toBe('ул. Попова, 104');
		expect(placeTitle(place({ address: '' }), labels)).toBe('Индустриальный район: место без адреса');
		const bars = monthBars(place({}).months, 4);
		expect(bars).toEqual([{ month: '2023-12', n: 0 }, { month: '2024-01', n: 2 }, { month: '2024-02', n: 0 }, { month: '2024-03', n: 4 }]);
		expect(placesUrl({ district: 'central', days: 90 })).toBe('/api/v1/places?district=central&days=90');
	});
});
