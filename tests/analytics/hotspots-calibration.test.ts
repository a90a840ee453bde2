/** Calibration and surges: threshold choice, episodes, the permuted null, the surge rules, with hand-worked numbers. */
import { describe, expect, it } from 'vitest';
import { cellToLatLng, latLngToCell } from 'h3-js';
import { Baseline } from '../../server/analytics/hotspots/baseline.ts';
import { permuteWithinCategoryMonth } from '../../server/analytics/hotspots/calibrate.ts';
import type { RecentIncident } from '../../server/analytics/hotspots/detect.ts';
import { HOTSPOT_PARAMS } from '../../server/analytics/hotspots/params.ts';
import { detectHotspots } from '../../server/analytics/hotspots/run-detection.ts';
import { HotspotTracker } from '../../server/analytics/hotspots/lifecycle.ts';
import { ebpScore } from '../../server/analytics/hotspots/score.ts';
import { chooseThreshold, countEpisodes, type Exceedance } from '../../server/analytics/hotspots/thresholds.ts';

const H = 3_600_000;
const D = 24 * H;
const T = Date.parse('2024-11-25T05:00:00Z');
const same = (a: string, b: string) => a === b;
const ex = (t: number, score: number, place = 'x', category = 'heating'): Exceedance => ({ t, score, place, category });

describe('countEpisodes', () => {
	it('joins exceedances of one category and place within 24 h of the first', () => {
		const list = [ex(0, 10), ex(5 * H, 12), ex(23 * H, 9), ex(25 * H, 11), ex(H, 10, 'y'), ex(H, 10, 'x', 'water')];
		// at τ 9: x/heating 0 (with 5 h and 23 h), x/heating 25 h (new), y, water → 4
		expect(countEpisodes(list, 9, same)).toBe(4);
		// at τ 11: 5 h, 25 h (20 h later: the same episode), nothing else → 1
		expect(countEpisodes(list, 11, same)).toBe(1);
		expect(countEpisodes(list, 13, same)).toBe(0);
	});
});

describe('chooseThreshold', () => {
	it('takes the smallest τ whose (episodes + 1) / weeks fits the budget', () => {
		// 8 weeks, budget 0.5: (k + 1)/8 ≤ 0.5 → k ≤ 3
		const list = [ex(0, 6), ex(2 * D, 7), ex(4 * D, 8), ex(6 * D, 9), ex(8 * D, 10)];
		const c = chooseThreshold(list, 8, 0.5, 4, same);
		// τ 4…6: 5 episodes; 6.25…7: 4; 7.25: 3 → fits
		expect(c).toEqual({ threshold: 7.25, episodes: 3, ratePerWeek: 0.5, extrapolated: false });
	});

	it('extrapolates with the Chernoff bound when the replay is too short for the budget', () => {
		// 1 week, budget 0.25: even no episode is 1/week > 0.25. The largest score is 9, so the first grid
		// value without an episode is 9.25; τ = 9.25 + ln(1/(0.25·1)) = 9.25 + 1.386 = 10.64
		const c = chooseThreshold([ex(0, 9)], 1, 0.25, 4, same);
		expect(c.extrapolated).toBe(true);
		expect(c.threshold).toBe(10.64);
	});
});

describe('permuteWithinCategoryMonth', () => {
	it('keeps each category’s timestamps within the month and every place', () => {
		const ev: RecentIncident[] = Array.from({ length: 40 }, (_, k) => ({
			id: `e${k}`,
			cell: `c${k % 5}`,
			category: k % 2 ? 'heating' : 'water',
			address: '',
			district: 'central',
			createdAt: T + k * 7 * H,
			lat: 0,
			lon: 0
		}));
		let s = 1;
		const out = permuteWithinCategoryMonth(ev, () => 7 * H, () => ((s = (s * 16807) % 2147483647) / 2147483647));
		expect(out).toHaveLength(40);
		for (const c of ['heating', 'water']) {
			const before = ev.filter((e) => e.category === c).map((e) => e.createdAt).sort();
			const after = out.filter((e) => e.category === c).map((e) => e.createdAt).sort();
			expect(after).toEqual(before);
		}
		expect(out.map((e) => e.id).sort()).toEqual(ev.map((e) => e.id).sort());
		expect(out.some((e, i) => e.id !== [...ev].sort((a, b) => a.createdAt - b.createdAt)[i]!.id)).toBe(true);
		for (let i = 1; i < out.length; i++) expect(out[i]!.createdAt).toBeGreaterThanOrEqual(out[i - 1]!.createdAt);
	});
});

describe('surges', () => {
	// 1000 incidents a year: a quarter of snow in 'central'; snow at 24 a day city-wide (672 over 28 days)
	const baseline = new Baseline(
		{
			cellCounts: new Map([[latLngToCell(53.2, 83.4, 9), 1000]]),
			spatialDays: 365,
			categoryCounts: new Map([['snow', 671.5]]),
			categoryHours: 672,
			hourOfWeek: new Array(168).fill(10),
			areaCounts: new Map([
				['central|snow', 50],
				['leninsky|snow', 150],
				['central|roads', 200],
				['leninsky|roads', 600]
			])
		},
		HOTSPOT_PARAMS,
		() => 420
	);
	const districts = ['central', 'leninsky'];
	const [lat, lon] = cellToLatLng(latLngToCell(53.35, 83.75, 9));
	let n = 0;
	const post = (district: string, minutesAgo: number, located = true): RecentIncident => ({
		id: `s${++n}`,
		cell: located ? latLngToCell(lat + (n % 40) * 0.004, lon + (n % 7) * 0.006, 9) : '',
		category: 'snow',
		address: '',
		district,
		createdAt: T - minutesAgo * 60_000,
		lat,
		lon
	});

	it('gives an area the share of its category, shrunk toward the district’s share of everything', () => {
		// central: snow 50 of 200, district share 250/1000 = 0.25 → (50 + 5·0.25)/(200 + 5)
		expect(baseline.areaShare('central', 'snow')).toBeCloseTo(51.25 / 205, 12);
		expect(baseline.areaShare(null, 'snow')).toBe(1);
		// 3 h of snow in central: share · (671.5 + 0.5)/672 per hour · 3
		expect(baseline.areaExpected('central', 'snow', T - 3 * H, T)).toBeCloseTo((51.25 / 205) * 3, 12);
	});

	it('opens one district surge and no local hotspots for a burst of one category over a district', () => {
		const posts = Array.from({ length: 20 }, (_, k) => post('central', k * 9, k % 4 !== 0));
		const thr = { local: 8, surge: 10 };
		const found = detectHotspots(T, posts, baseline, HOTSPOT_PARAMS, thr, districts);
		expect(found.map((h) => [h.kind, h.district, h.count])).toEqual([['surge', 'central', 20]]);
		// 3 h window (20 posts within 171 min): B = 0.25 · 3 = 0.75
		const b = (51.25 / 205) * 3;
		expect(found[0]!.windowH).toBe(3);
		expect(found[0]!.score).toBeCloseTo(ebpScore(20, b), 9);
	});

	it('keeps a building far denser than the surge around it, drops chance clumps the surge explains', () => {
		const spread = Array.from({ length: 20 }, (_, k) => post('central', k * 9, k % 4 !== 0));
		const [blat, blon] = cellToLatLng(latLngToCell(53.3, 83.62, 9));
		const building = [50, 40, 30, 20, 10, 5, 2].map((m) => ({ ...post('central', m), cell: latLngToCell(blat, blon, 9), lat: blat, lon: blon }));
		const found = detectHotspots(T, [...spread, ...building], baseline, HOTSPOT_PARAMS, { local: 8, surge: 10 }, districts);
		expect(found.map((h) => [h.kind, h.count])).toEqual([
			['surge', 20],
			['local', 7]
		]);
	});

	it('turns surges in two districts into one city-wide surge', () => {
		const posts = [...Array.from({ length: 30 }, (_, k) => post('central', k * 5)), ...Array.from({ length: 40 }, (_, k) => post('leninsky', k * 4))];
		const found = detectHotspots(T, posts, baseline, HOTSPOT_PARAMS, { local: 1e9, surge: 10 }, districts);
		expect(found.map((h) => [h.kind, h.district, h.count])).toEqual([['surge', null, 70]]);
	});
});

describe('surge lifecycle', () => {
	it('keeps one id while a district surge spreads to the city, stays city-wide, and closes after 180 min', () => {
		const t = new HotspotTracker(HOTSPOT_PARAMS);
		const d = (district: string | null, count: number) => ({
			kind: 'surge' as const,
			category: 'snow',
			cells: [],
			incidents: [{ id: `x${count}`, cell: '', category: 'snow', address: '', district: district ?? 'central', createdAt: T, lat: 0, lon: 0 }],
			count,
			expected: 2,
			score: 30,
			windowH: 3,
			startedAt: T,
			district,
			districts: [district ?? 'central'],
			center: { lat: 0, lon: 0 },
			place: '',
			growing: true
		});
		const a = t.update(T, [d('central', 20)]);
		expect(a.map((x) => [x.alert.kind, x.alert.hotspot.district])).toEqual([['opened', 'central']]);
		const id = a[0]!.alert.hotspot.id;
		// the city: same surge, grown by half → escalated, now city-wide
		const b = t.update(T + 60_000, [d(null, 30)]);
		expect(b.map((x) => [x.alert.kind, x.alert.hotspot.id, x.alert.hotspot.district])).toEqual([['escalated', id, null]]);
		// back to one district's detection: still the city's surge, no new alert (+4 < half of 30)
		expect(t.update(T + 120_000, [d('central', 34)])).toEqual([]);
		expect(t.current().map((h) => [h.hotspot.id, h.hotspot.district])).toEqual([[id, null]]);
		expect(t.update(T + 120_000 + 179 * 60_000, [])).toEqual([]);
		expect(t.update(T + 120_000 + 180 * 60_000, []).map((x) => x.alert.kind)).toEqual(['closed']);
	});
});
