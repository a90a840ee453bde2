/**
 * The server calibrates and detects in worker threads (calibrate-off-thread.ts, detect-off-thread.ts): what
 * comes back must be what the same work gives in-process; a young store's replay is bounded in work.
 */
import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { Baseline, type BaselineInput } from '../../server/analytics/hotspots/baseline.ts';
import { calibrate } from '../../server/analytics/hotspots/calibrate.ts';
import { calibrateOffThread } from '../../server/analytics/hotspots/calibrate-off-thread.ts';
import type { RecentIncident } from '../../server/analytics/hotspots/detect.ts';
import { HOTSPOT_PARAMS } from '../../server/analytics/hotspots/params.ts';
import { DetectionThread } from '../../server/analytics/hotspots/detect-off-thread.ts';
import { detectHotspots } from '../../server/analytics/hotspots/run-detection.ts';

const H = 3_600_000;
const D = 24 * H;
const TO = Date.parse('2024-11-25T05:00:00Z');
const DISTRICTS = ['central', 'leninsky'];
const CATEGORIES = ['heating', 'water', 'roads'];

function rng(seed: number): () => number {
	let s = seed;
	return () => ((s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

/** `n` incidents spread over `days` before TO, over a grid of cells around Barnaul's centre. */
function history(n: number, days: number, seed: number): RecentIncident[] {
	const next = rng(seed);
	return Array.from({ length: n }, (_, k) => {
		const lat = 53.33 + next() * 0.05;
		const lon = 83.7 + next() * 0.08;
		return {
			id: `h${k}`,
			cell: latLngToCell(lat, lon, 9),
			category: CATEGORIES[k % CATEGORIES.length]!,
			address: `ул. Ленина, ${k % 40}`,
			district: DISTRICTS[k % DISTRICTS.length]!,
			createdAt: TO - Math.floor(next() * days * D),
			lat,
			lon
		};
	}).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

function baselineOf(events: readonly RecentIncident[], days: number): BaselineInput {
	const count = (key: (e: RecentIncident) => string) => {
		const m = new Map<string, number>();
		for (const e of events) m.set(key(e), (m.get(key(e)) ?? 0) + 1);
		return m;
	};
	const hourOfWeek = new Array<number>(168).fill(0);
	for (const e of events) hourOfWeek[Math.floor(((e.createdAt + 7 * H) / H + 72) % 168)]! += 1;
	return {
		cellCounts: count((e) => e.cell),
		spatialDays: days,
		categoryCounts: count((e) => e.category),
		categoryHours: days * 24,
		hourOfWeek,
		areaCounts: count((e) => `${e.district}|${e.category}`)
	};
}

describe('calibration in a worker thread', () => {
	it('gives the thresholds, choices and replayed weeks of the same calibration in-process', async () => {
		const days = 40;
		const events = history(1_200, days, 7);
		const aggregates = baselineOf(events, days);
		const inline = await calibrate(
			{ events, baseline: new Baseline(aggregates, HOTSPOT_PARAMS, () => 420), districts: DISTRICTS, historyDays: days, to: TO, offsetMs: () => 7 * H },
			HOTSPOT_PARAMS
		);
		const threaded = await calibrateOffThread({ events, baseline: aggregates, params: HOTSPOT_PARAMS, districts: DISTRICTS, historyDays: days, to: TO, tz: 'Asia/Barnaul' });
		expect(inline.exceedances.local.length).toBeGreaterThan(0);
		expect({ local: threaded.local, surge: threaded.surge, choice: threaded.choice, weeks: threaded.replayedWeeks, budget: threaded.budgetPerWeek }).toEqual({
			local: inline.local,
			surge: inline.surge,
			choice: inline.choice,
			weeks: inline.replayedWeeks,
			budget: inline.budgetPerWeek
		});
		expect(threaded.exceedances).toEqual(inline.exceedances);
	}, 120_000);

	it('bounds the replay of a young store instead of filling 56 days with permutations', async () => {
		// two hours of history, 300 incidents, every one inside a 24 h window of every other: 56 days would
		// take 672 permutations of 300 × 300 pairs; a bound of 500 000 pairs allows 5
		const events = history(300, 2 / 24, 11);
		const c = await calibrateOffThread({
			events,
			baseline: baselineOf(events, 2 / 24),
			params: HOTSPOT_PARAMS,
			districts: DISTRICTS,
			historyDays: 2 / 24,
			to: TO,
			tz: 'Asia/Barnaul',
			maxReplayWork: 500_000
		});
		const spanDays = (TO - events[0]!.createdAt) / D;
		expect(c.replayedWeeks.local).toBeCloseTo((5 * spanDays) / 7, 9);
		expect(c.choice.local.extrapolated).toBe(true);
	}, 120_000);

	it('rejects with the worker’s error on input it cannot use', async () => {
		await expect(
			calibrateOffThread({ events: [], baseline: null as unknown as BaselineInput, params: HOTSPOT_PARAMS, districts: DISTRICTS, historyDays: 0, to: TO, tz: 'Asia/Barnaul' })
		).rejects.toThrow(/hotspot calibration failed/);
	});
});

describe('detection in a worker thread', () => {
	it('finds what the same pass finds in-process, keeps its baseline between passes and starts again after a stop', async () => {
		const days = 30;
		const events = history(900, days, 5);
		// a burst: eight residents of one building within two hours
		const burst: RecentIncident[] = Array.from({ length: 8 }, (_, k) => ({
			id: `b${k}`,
			cell: latLngToCell(53.3478, 83.7765, 9),
			category: 'heating',
			address: 'ул. Малахова, 86',
			district: 'central',
			createdAt: TO - (120 - k * 15) * 60_000,
			lat: 53.3478,
			lon: 83.7765
		}));
		const recent = [...events.filter((e) => e.createdAt > TO - D), ...burst];
		const baseline = new Baseline(baselineOf(events, days), HOTSPOT_PARAMS, () => 420);
		const thresholds = { local: 8, surge: 12 };
		const inline = detectHotspots(TO, recent, baseline, HOTSPOT_PARAMS, thresholds, DISTRICTS);
		expect(inline.map((h) => [h.kind, h.category, h.count])).toEqual([['local', 'heating', 8]]);
		const thread = new DetectionThread('Asia/Barnaul');
		try {
			expect(await thread.detect(TO, recent, baseline, HOTSPOT_PARAMS, thresholds, DISTRICTS)).toEqual(inline);
			// the second pass is sent without the baseline: the thread kept it
			expect(await thread.detect(TO + 60_000, recent, baseline, HOTSPOT_PARAMS, thresholds, DISTRICTS)).toEqual(
				detectHotspots(TO + 60_000, recent, baseline, HOTSPOT_PARAMS, thresholds, DISTRICTS)
			);
			await thread.stop();
			// a new thread after the stop gets the baseline again
			expect(await thread.detect(TO, recent, baseline, HOTSPOT_PARAMS, thresholds, DISTRICTS)).toEqual(inline);
			// below threshold nothing, from either
			expect(await thread.detect(TO, recent, baseline, HOTSPOT_PARAMS, { local: 500, surge: 500 }, DISTRICTS)).toEqual([]);
		} finally {
			await thread.stop();
		}
	}, 60_000);
});
