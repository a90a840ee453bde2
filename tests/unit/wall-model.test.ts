import { describe, expect, it } from 'vitest';
import type { Hotspot, Kpis, Snapshot } from '../../src/lib/contract/snapshot.ts';
import { cityTiles, districtTiles, KpiHistory, toneOf, trendOf, usualResponse } from '../../src/lib/live/kpi.ts';
import { parseScenes } from '../../src/lib/live/scenes.ts';
import { backoffMs, isStale } from '../../src/lib/live/stale.ts';
import { aggregatesFromSnapshot, applyDelta, expireAlerts, LIMITS, nextAlerts, rankHotspots, statusAfter } from '../../src/lib/live/wall-model.ts';

const kpis: Kpis = {
	today: 40,
	today_usual: 30,
	open: 12,
	overdue: 3,
	median_response_min_today: 95,
	median_response_min_7d: 120,
	sla_share_7d: 0.82,
	repeat_share_30d: null
};

function hotspot(id: string, score: number, over: Partial<Hotspot> = {}): Hotspot {
	return {
		id,
		district: 'industrialny',
		kind: 'local',
		cells: ['89216b2e6e7ffff'],
		center: { lat: 53.34, lon: 83.66 },
		category: 'heating',
		count: 7,
		expected: 0.4,
		score,
		started_at: '2024-03-01T06:00:00Z',
		growing: true,
		...over
	};
}

const snapshot: Snapshot = {
	as_of: '2024-03-01T09:00:00Z',
	scope: { district: null },
	kpis,
	districts: [],
	trends: { response_daily: [], hourly: [], week_categories: [] },
	hotspots: [],
	feed: []
};

describe('snapshot and deltas', () => {
	it('applies only the parts a delta carries', () => {
		const a = aggregatesFromSnapshot(snapshot);
		const b = applyDelta(a, { as_of: '2024-03-01T09:00:05Z', scope: { district: null }, kpis: { ...kpis, today: 41 } }, { district: null });
		expect(b.kpis!.today).toBe(41);
		expect(b.trends).toBe(a.trends);
		expect(b.asOf).toBe('2024-03-01T09:00:05Z');
	});

	it('ignores deltas of another scope or older than what is shown', () => {
		const a = aggregatesFromSnapshot(snapshot);
		expect(applyDelta(a, { as_of: '2024-03-01T09:00:05Z', scope: { district: 'central' }, kpis }, { district: null })).toBe(a);
		expect(applyDelta(a, { as_of: '2024-03-01T08:59:00Z', scope: { district: null }, kpis }, { district: null })).toBe(a);
	});

	it('bounds what a snapshot can put on the page', () => {
		const big: Snapshot = {
			...snapshot,
			trends: {
				response_daily: Array.from({ length: 400 }, (_, i) => ({ day: `d${i}`, p50_min: 1, p90_min: 2, n: 1 })),
				hourly: Array.from({ length: 10_000 }, (_, i) => ({ hour: `h${i}`, category: 'x', n: 1 })),
				week_categories: []
			}
		};
		const a = aggregatesFromSnapshot(big);
		expect(a.trends.response_daily).toHaveLength(LIMITS.responseDays);
		expect(a.trends.response_daily.at(-1)!.day).toBe('d399');
		expect(a.trends.hourly.length).toBeLessThanOrEqual(LIMITS.hourlyRows);
	});

	it('ranks hotspots by score and bounds them', () => {
		const list = Array.from({ length: 80 }, (_, i) => hotspot(`h${i}`, i));
		const ranked = rankHotspots(list);
		expect(ranked).toHaveLength(LIMITS.hotspots);
		expect(ranked[0]!.id).toBe('h79');
	});

	it('derives feed status from status events', () => {
		expect(statusAfter('responded', 'open')).toBe('responded');
		expect(statusAfter('responded', 'resolved')).toBe('resolved');
		expect(statusAfter('reopened', 'resolved')).toBe('open');
		expect(statusAfter('assigned', 'open')).toBe('open');
	});
});

describe('alerts', () => {
	it('shows opened, replaces per hotspot, removes on closed and expires', () => {
		let q = nextAlerts([], { kind: 'opened', hotspot: hotspot('a', 3) }, 0, 1000);
		q = nextAlerts(q, { kind: 'opened', hotspot: hotspot('b', 3) }, 100, 1000);
		q = nextAlerts(q, { kind: 'escalated', hotspot: hotspot('a', 5) }, 200, 1000);
		expect(q.map((s) => `${s.alert.kind}:${s.alert.hotspot.id}`)).toEqual(['escalated:a', 'opened:b']);
		q = nextAlerts(q, { kind: 'closed', hotspot: hotspot('b', 0) }, 300, 1000);
		expect(q.map((s) => s.alert.hotspot.id)).toEqual(['a']);
		expect(expireAlerts(q, 1199, 1000)).toBe(q);
		expect(expireAlerts(q, 1200, 1000)).toEqual([]);
	});

	it('keeps at most a few alerts', () => {
		let q = nextAlerts([], { kind: 'opened', hotspot: hotspot('h0', 1) }, 0, 1e9);
		for (let i = 1; i < 20; i++) q = nextAlerts(q, { kind: 'opened', hotspot: hotspot(`h${i}`, 1) }, i, 1e9);
		expect(q).toHaveLength(LIMITS.alerts);
		expect(q[0]!.alert.hotspot.id).toBe('h19');
	});
});

describe('KPI tiles', () => {
	it('compares today with the usual and colours the arrow by meaning', () => {
		const tiles = cityTiles(kpis, [], null);
		const today = tiles.find((t) => t.key === 'today')!;
		expect(today.value).toBe('40');
		expect(today.note).toBe('обычно 30');
		expect(today.trend).toBe('up');
		expect(today.tone).toBe('bad');
		const sla = tiles.find((t) => t.key === 'sla')!;
		expect(sla.value).toBe('82\u00a0%');
		expect(sla.trend).toBeNull();
		expect(tiles.find((t) => t.key === 'response_today')!.value).toBe('95 мин');
		expect(tiles.find((t) => t.key === 'response_today')!.tone).toBe('good');
	});

	it('uses the value an hour ago for numbers without a usual', () => {
		const h = new KpiHistory();
		h.push(0, { ...kpis, open: 20 });
		h.push(30_000, { ...kpis, open: 21 });
		expect(h.size).toBe(1);
		expect(h.reference(5 * 60_000)).toBeNull();
		const ref = h.reference(11 * 60_000)!;
		expect(ref.open).toBe(21);
		const open = cityTiles(kpis, [], ref).find((t) => t.key === 'open')!;
		expect(open.trend).toBe('down');
		expect(open.tone).toBe('good');
		expect(open.note).toBe('час назад 21');
		for (let i = 1; i < 1000; i++) h.push(i * 60_000, kpis);
		expect(h.size).toBeLessThanOrEqual(61);
	});

	it('treats small changes as flat and missing values as no arrow', () => {
		expect(trendOf(100, 95)).toBe('flat');
		expect(trendOf(3, 2.5)).toBe('flat');
		expect(trendOf(null, 2)).toBeNull();
		expect(toneOf('flat', true)).toBe('neutral');
		expect(usualResponse([{ day: 'a', p50_min: 10, p90_min: 1, n: 1 }, { day: 'b', p50_min: null, p90_min: null, n: 0 }, { day: 'c', p50_min: 30, p90_min: 1, n: 1 }])).toBe(20);
	});

	it('shows one district with its tension', () => {
		const tiles = districtTiles({ code: 'central', name: 'Центральный', population: 1, today: 5, last_24h: 9, per_10k_24h: 0.7, tension: 1.6, open: 2, overdue: 1 });
		expect(tiles.find((t) => t.key === 'tension')!.value).toBe('×1,6');
		expect(tiles.find((t) => t.key === 'tension')!.tone).toBe('bad');
		expect(districtTiles(undefined)[0]!.value).toBe('—');
	});
});

describe('scenes, staleness and backoff', () => {
	it('parses the scene list and skips what it does not know', () => {
		const p = parseScenes(new URLSearchParams('scenes=overview,district:industrialny,district:atlantis,response,bogus&every=30'), ['industrialny']);
		expect(p.scenes).toEqual([{ kind: 'overview' }, { kind: 'district', code: 'industrialny' }, { kind: 'response' }]);
		expect(p.everyMs).toBe(30_000);
		expect(parseScenes(new URLSearchParams(''), []).scenes).toEqual([{ kind: 'overview' }]);
		expect(parseScenes(new URLSearchParams('every=1'), []).everyMs).toBe(5000);
		expect(parseScenes(new URLSearchParams('every=abc'), []).everyMs).toBe(60_000);
	});

	it('is stale only past the threshold', () => {
		expect(isStale(15_000, 0)).toBe(false);
		expect(isStale(15_001, 0)).toBe(true);
		expect(isStale(3_001, 0, 3000)).toBe(true);
	});

	it('backs off exponentially with jitter up to a cap', () => {
		expect(backoffMs(0, 0)).toBe(500);
		expect(backoffMs(0, 0.999)).toBeLessThanOrEqual(1000);
		expect(backoffMs(3, 0.5)).toBe(6000);
		expect(backoffMs(50, 0.999)).toBeLessThanOrEqual(30_000);
		expect(backoffMs(50, 0)).toBe(15_000);
	});
});
