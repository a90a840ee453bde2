/** The pure hotspot modules: score, baseline, zone scan, merging and lifecycle, with hand-worked numbers. */
import { describe, expect, it } from 'vitest';
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js';
import { Baseline } from '../../server/analytics/hotspots/baseline.ts';
import { scoreZones, type RecentIncident } from '../../server/analytics/hotspots/detect.ts';
import { mergeZones } from '../../server/analytics/hotspots/merge.ts';
import { HotspotTracker } from '../../server/analytics/hotspots/lifecycle.ts';
import { HOTSPOT_PARAMS } from '../../server/analytics/hotspots/params.ts';
import { ebpScore } from '../../server/analytics/hotspots/score.ts';

const P = HOTSPOT_PARAMS;
/** A threshold for these hand-worked cases (the product calibrates its own). */
const T = 16;
const BARNAUL = () => 420;
const A = latLngToCell(53.3444, 83.6667, 9);
const FAR = latLngToCell(53.3694, 83.7667, 9);
const NOW = Date.parse('2024-03-11T03:30:00Z');
const MIN = 60_000;

function flatBaseline(cells: Record<string, number>, heatingPer28d = 28): Baseline {
	return new Baseline(
		{
			cellCounts: new Map(Object.entries(cells)),
			spatialDays: 365,
			categoryCounts: new Map([['heating', heatingPer28d]]),
			categoryHours: 672,
			hourOfWeek: new Array(168).fill(10)
		},
		P,
		BARNAUL
	);
}

let seq = 0;
function inc(cell: string, minutesAgo: number, over: Partial<RecentIncident> = {}): RecentIncident {
	const [lat, lon] = cellToLatLng(cell);
	seq += 1;
	return { id: `i${seq}`, cell, category: 'heating', address: `ул. Попова, ${100 + seq}`, district: 'industrialny', createdAt: NOW - minutesAgo * MIN, lat, lon, ...over };
}

describe('ebpScore', () => {
	it('is C·ln(C/B) + B − C above expectation and 0 otherwise', () => {
		expect(ebpScore(5, 0.05)).toBeCloseTo(5 * Math.log(100) + 0.05 - 5, 10); // 18.076
		expect(ebpScore(5, 0.05)).toBeCloseTo(18.0759, 3);
		expect(ebpScore(1, 2)).toBe(0);
	});
});

describe('Baseline', () => {
	it('shrinks a cell toward its ring-2 neighbourhood and floors quiet cells', () => {
		const b = flatBaseline({ [A]: 10 });
		// own 10, ring-2 disk (19 cells) sum 10 → λ = (10 + 10/19) / 2; total 10
		expect(b.cellShare(A)).toBeCloseTo((10 + 10 / 19) / 2 / 10, 12);
		// nothing around: the floor of 1 a year over a 365-day history → 1/10
		expect(b.cellShare(FAR)).toBeCloseTo(0.1, 12);
		// heating: (28 + 0.5) / 672 per hour; a flat shape integrates to the hours
		expect(b.expected([A], 'heating', NOW - 3 * 3_600_000, NOW)).toBeCloseTo(((10 + 10 / 19) / 2 / 10) * (28.5 / 672) * 3, 12);
	});

	it('integrates the hour-of-week shape in local time', () => {
		const hours = new Array(168).fill(0);
		hours[0] = 168; // every incident on Monday 00:00–01:00 local
		const b = new Baseline({ cellCounts: new Map(), spatialDays: 365, categoryCounts: new Map(), categoryHours: 672, hourOfWeek: hours }, P, BARNAUL);
		// shape: Monday hour 0 = (168 + 1) / 2 = 84.5, the rest (0 + 1) / 2 = 0.5; mean 1
		const mon0 = Date.parse('2024-03-10T17:00:00Z'); // Monday 00:00 Barnaul
		expect(b.shapeHours(mon0, mon0 + 3_600_000)).toBeCloseTo(84.5, 9);
		// 00:30–02:30: half of 84.5 + 0.5 + half of 0.5
		expect(b.shapeHours(mon0 + 30 * MIN, mon0 + 150 * MIN)).toBeCloseTo(43, 9);
		// a whole week is 168 wherever it starts
		expect(b.shapeHours(mon0 + 7 * MIN, mon0 + 7 * MIN + 168 * 3_600_000)).toBeCloseTo(168, 9);
	});
});

describe('scoreZones + mergeZones', () => {
	const history = { [FAR]: 1000 }; // total 1000 incidents, none near A: A's cells sit on the floor (1 a year)
	const b = flatBaseline(history);
	const nb = gridDisk(A, 1).find((c) => c !== A)!;

	it('flags 5 heating complaints at 5 addresses in 2 h across a district border as ONE hotspot', () => {
		const cluster = [
			inc(A, 110),
			inc(A, 80),
			inc(A, 50, { district: 'industrialny' }),
			inc(nb, 30, { district: 'leninsky' }),
			inc(nb, 5, { district: 'leninsky' })
		];
		const zones = scoreZones(NOW, cluster, b, P, T);
		expect(zones.length).toBeGreaterThan(1); // several centres see all five
		const hs = mergeZones(NOW, zones);
		expect(hs).toHaveLength(1);
		const h = hs[0]!;
		expect(h.count).toBe(5);
		expect(h.windowH).toBe(3);
		// 7 floored cells of share 1/1000, heating 28.5/672 an hour, 3 h
		const expected = 7 * 0.001 * (28.5 / 672) * 3;
		expect(h.expected).toBeCloseTo(expected, 12);
		expect(h.score).toBeCloseTo(5 * Math.log(5 / expected) + expected - 5, 9);
		expect(h.district).toBe('industrialny');
		expect(h.districts).toEqual(['industrialny', 'leninsky']);
		expect(h.cells).toEqual([A, nb].sort());
		expect(h.startedAt).toBe(NOW - 110 * MIN);
		expect(h.growing).toBe(true); // 30 and 5 minutes ago
	});

	it('needs the minimum count of distinct posts; one building is enough', () => {
		expect(scoreZones(NOW, [inc(A, 10), inc(A, 20), inc(A, 30)], b, P, T)).toEqual([]);
		// five residents of one house, five texts: a point of tension (the distinct-address rule is gone)
		const sameAddress = [1, 2, 3, 4, 5].map((m) => inc(A, m, { address: 'ул. Попова, 104' }));
		expect(scoreZones(NOW, sameAddress, b, P, T)).toHaveLength(7);
		// the same five grouped as one post (copies) count once
		const oneGroup = new Map(sameAddress.map((i) => [i.id, 'g']));
		expect(scoreZones(NOW, sameAddress, b, P, T, oneGroup)).toEqual([]);
		const otherCategories = ['heating', 'water', 'roads', 'yard', 'snow'].map((category, k) => inc(A, k, { category }));
		expect(scoreZones(NOW, otherCategories, b, P, T)).toEqual([]);
	});

	it('does not flag the same five in a cell that usually sees that many', () => {
		const busy = flatBaseline({ [A]: 400_000 }, 28 * 50);
		expect(scoreZones(NOW, [1, 2, 3, 4, 5].map((m) => inc(A, m * 20)), busy, P, T)).toEqual([]);
	});

	it('keeps far-apart bursts as separate hotspots', () => {
		const hs = mergeZones(NOW, scoreZones(NOW, [...[1, 2, 3, 4, 5].map((m) => inc(A, m)), ...[1, 2, 3, 4, 5].map((m) => inc(FAR, m))], flatBaseline({ [latLngToCell(53.25, 83.5, 9)]: 1000 }), P, T));
		expect(hs).toHaveLength(2);
	});
});

describe('HotspotTracker', () => {
	const b = flatBaseline({ [FAR]: 1000 });
	const burst = (n: number, at = NOW) => [...Array(n).keys()].map((k) => inc(A, k * 5, { id: `b${k}`, createdAt: at - k * 5 * MIN }));
	const detect = (n: number, at = NOW) => mergeZones(at, scoreZones(at, burst(n, at), b, P, T));

	it('opens, escalates, keeps its id, and closes after an hour undetected', () => {
		const t = new HotspotTracker(P);
		const a1 = t.update(NOW, detect(5));
		expect(a1.map((a) => a.alert.kind)).toEqual(['opened']);
		const id = a1[0]!.alert.hotspot.id;
		expect(t.update(NOW + MIN, detect(6, NOW + MIN))).toEqual([]); // +1: no new alert
		const a2 = t.update(NOW + 2 * MIN, detect(8, NOW + 2 * MIN));
		expect(a2.map((a) => [a.alert.kind, a.alert.hotspot.id, a.alert.hotspot.count])).toEqual([['escalated', id, 8]]);
		expect(t.update(NOW + 30 * MIN, [])).toEqual([]); // not seen for 28 min: still open
		expect(t.current().map((h) => h.hotspot.id)).toEqual([id]);
		const a3 = t.update(NOW + 62 * MIN, []);
		expect(a3.map((a) => [a.alert.kind, a.alert.hotspot.id])).toEqual([['closed', id]]);
		expect(t.current()).toEqual([]);
		// a restarted tracker names the same burst the same
		expect(new HotspotTracker(P).update(NOW, detect(5))[0]!.alert.hotspot.id).toBe(id);
	});
});
