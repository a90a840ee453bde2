/**
 * Self-calibration: the thresholds come from the city's own history, for the false-alarm budget.
 * - Local hotspots: the history replayed with timestamps permuted among the incidents of one category
 *   and one local month (HOTSPOTS.md §3 (c)). That keeps where incidents happen and how many of each
 *   category come each month, and destroys bursts, real ones included, so the replay is a null with
 *   the city's own clumpiness of places, volume and mix. A short history is permuted again and again
 *   until `calibrationDays` have been replayed.
 * - Surges: the history as it happened (a permutation within the month would spread out the bad days
 *   a surge threshold must live with). Real surges of the past count as false alarms: conservative,
 *   and rare against a budget of about one a week.
 * - The detector is evaluated at every arrival (a score only rises when a post arrives), with the
 *   category rates moving day by day as live; exceedances become episodes and a threshold (thresholds.ts).
 * - The budget is split evenly between the two kinds and, while the store holds less than
 *   `coldStartDays` of history, scaled by history / coldStartDays (3 days: 3/28 of it); then the
 *   threshold is also at least ln(tests a week / budget) (Bonferroni with the Chernoff bound
 *   P(LLR ≥ τ) ≤ e^−τ), tests = zones (cells seen × 7) or areas × categories × windows × looks a week.
 * Pure; the server runs it in a worker thread (calibrate-off-thread.ts). Every 10 ms of work it still gives
 * its event loop back, so a caller on a main thread (the benchmark) is never blocked for long.
 */
import { cellToLatLng } from 'h3-js';
import type { Baseline } from './baseline.ts';
import { scoreZones, type RecentIncident } from './detect.ts';
import type { HotspotParams, Thresholds } from './params.ts';
import { surgeScores } from './surge.ts';
import { chooseThreshold, type Exceedance, type ThresholdChoice } from './thresholds.ts';
import { postGroupsOf } from './run-detection.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Scores below this are never a threshold (an LLR of 4 is e^−4 ≈ 2 % per test). */
const FLOOR = 4;
/**
 * Work of all permutations together, in (arrival × incident in its longest window) pairs. A young store
 * would otherwise be permuted over a thousand times to fill calibrationDays (an hour of history: 1 344
 * times), each arrival scoring every incident of its window; its threshold is held up by the cold-start
 * floor anyway. A city's year (one permutation of 56 days) stays far below this.
 */
const MAX_REPLAY_WORK = 2_000_000;

export interface CalibrationInput {
	/** The history replayed, sorted by time: at most calibrationDays + categoryDays + 1 days. */
	events: readonly RecentIncident[];
	/** Spatial shares and hour-of-week shape as of the end of the history. */
	baseline: Baseline;
	districts: readonly string[];
	/** How much history the store holds in all (days), for the cold-start rule. */
	historyDays: number;
	/** End of the history (exclusive). */
	to: number;
	/** City UTC offset (ms) at an instant, for local months and days. */
	offsetMs: (ms: number) => number;
	seed?: number;
	/** Bound of the replay's work (pairs); MAX_REPLAY_WORK unless a test asks for less. */
	maxReplayWork?: number;
}

export interface Calibration extends Thresholds {
	historyDays: number;
	replayedWeeks: { local: number; surge: number };
	budgetPerWeek: { local: number; surge: number };
	choice: { local: ThresholdChoice; surge: ThresholdChoice };
	/** Exceedances of the replays (for the AMOC curve of the benchmark). */
	exceedances: { local: Exceedance[]; surge: Exceedance[] };
}

function rng(seed: number): () => number {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13;
		s ^= s >>> 17;
		s ^= s << 5;
		return (s >>> 0) / 4_294_967_296;
	};
}

/** Timestamps shuffled among the incidents of one category and one local month. */
export function permuteWithinCategoryMonth(events: readonly RecentIncident[], offsetMs: (ms: number) => number, next: () => number): RecentIncident[] {
	const buckets = new Map<string, RecentIncident[]>();
	for (const e of events) {
		const local = new Date(e.createdAt + offsetMs(e.createdAt));
		const k = `${e.category}|${local.getUTCFullYear()}-${local.getUTCMonth()}`;
		const b = buckets.get(k) ?? [];
		b.push(e);
		buckets.set(k, b);
	}
	const out: RecentIncident[] = [];
	for (const b of buckets.values()) {
		const times = b.map((e) => e.createdAt);
		for (let i = times.length - 1; i > 0; i--) {
			const j = Math.floor(next() * (i + 1));
			[times[i], times[j]] = [times[j]!, times[i]!];
		}
		b.forEach((e, i) => out.push({ ...e, createdAt: times[i]! }));
	}
	return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** Category rates of the day as live computes them: the categoryDays before the day's guard band. */
function dailyBaselines(events: readonly RecentIncident[], base: Baseline, p: HotspotParams, first: number) {
	const cache = new Map<number, Baseline>();
	return (t: number): Baseline => {
		const day = Math.floor(t / DAY);
		const hit = cache.get(day);
		if (hit) return hit;
		const to = day * DAY - DAY;
		const from = Math.max(to - p.categoryDays * DAY, first);
		const counts = new Map<string, number>();
		for (const e of events) if (e.createdAt >= from && e.createdAt < to) counts.set(e.category, (counts.get(e.category) ?? 0) + 1);
		const b = to > from ? base.withCategoryCounts(counts, (to - from) / HOUR) : base;
		if (cache.size > 400) cache.clear();
		cache.set(day, b);
		return b;
	};
}

/** Keeps an exceedance only when it beats what its key showed within the last 24 h (bounded, exact for episodes). */
class Recorder {
	readonly list: Exceedance[] = [];
	private readonly last = new Map<string, { t: number; score: number }>();
	add(e: Exceedance): void {
		const k = `${e.category}|${e.place}`;
		const prev = this.last.get(k);
		if (prev && e.t - prev.t <= DAY && e.score <= prev.score) return;
		this.last.set(k, { t: e.t, score: e.score });
		this.list.push(e);
	}
}

/** The replay gives the event loop back after this much CPU: sockets and HTTP stay served meanwhile. */
const SLICE_MS = 10;
let sliceStart = performance.now();
async function breathe(): Promise<void> {
	if (performance.now() - sliceStart < SLICE_MS) return;
	await new Promise<void>((resolve) => setImmediate(resolve));
	sliceStart = performance.now();
}

async function replayLocal(events: readonly RecentIncident[], from: number, at: (t: number) => Baseline, p: HotspotParams, groups: ReadonlyMap<string, string>, rec: Recorder): Promise<void> {
	const maxWindow = Math.max(...p.windowsH) * HOUR;
	let lo = 0;
	for (let i = 0; i < events.length; i++) {
		const t = events[i]!.createdAt;
		if (t < from) continue;
		await breathe();
		while (events[lo]!.createdAt <= t - maxWindow) lo++;
		let hi = i + 1;
		while (hi < events.length && events[hi]!.createdAt === t) hi++;
		for (const z of scoreZones(t, events.slice(lo, hi), at(t), p, FLOOR, groups)) rec.add({ t, category: z.category, place: z.center, score: z.score });
	}
}

async function replaySurges(events: readonly RecentIncident[], from: number, at: (t: number) => Baseline, p: HotspotParams, districts: readonly string[], groups: ReadonlyMap<string, string>, rec: Recorder): Promise<void> {
	const maxWindow = Math.max(...p.surgeWindowsH) * HOUR;
	let lo = 0;
	for (let i = 0; i < events.length; i++) {
		const t = events[i]!.createdAt;
		if (t < from) continue;
		await breathe();
		while (events[lo]!.createdAt <= t - maxWindow) lo++;
		for (const s of surgeScores(t, events.slice(lo, i + 1), at(t), p, districts, groups)) {
			if (s.score >= FLOOR) rec.add({ t, category: s.category, place: s.district ?? '*', score: s.score });
		}
	}
}

const centres = new Map<string, [number, number]>();
function nearCells(a: string, b: string): boolean {
	if (a === b) return true;
	const pa = centres.get(a) ?? cellToLatLng(a);
	const pb = centres.get(b) ?? cellToLatLng(b);
	if (centres.size > 100_000) centres.clear();
	centres.set(a, pa);
	centres.set(b, pb);
	const dy = (pa[0] - pb[0]) * 111.2;
	const dx = (pa[1] - pb[1]) * 111.2 * Math.cos((pa[0] * Math.PI) / 180);
	return Math.hypot(dx, dy) <= 1;
}

/** Estimated pairs one permutation scores: its arrivals × the incidents a longest window holds on average. */
function replayWork(events: readonly RecentIncident[], from: number, spanDays: number, p: HotspotParams): number {
	const arrivals = Math.max(1, events.filter((e) => e.createdAt >= from).length);
	const perWindow = Math.min(arrivals, Math.max(1, (arrivals * Math.max(...p.windowsH)) / (spanDays * 24)));
	return arrivals * perWindow;
}

export async function calibrate(input: CalibrationInput, p: HotspotParams): Promise<Calibration> {
	const { events, baseline, districts } = input;
	const first = events[0]?.createdAt ?? input.to;
	// replay the last calibrationDays; the days before them feed the category rates
	const from = Math.max(first, input.to - p.calibrationDays * DAY);
	const spanDays = Math.max((input.to - from) / DAY, 1 / 24);
	const groups = postGroupsOf(events);
	const scale = Math.min(1, input.historyDays / p.coldStartDays);
	const budget = { local: (p.falseAlarmsPerWeek * scale) / 2, surge: (p.falseAlarmsPerWeek * scale) / 2 };

	const next = rng(input.seed ?? 20_240_101);
	const replicates = Math.max(1, Math.min(Math.ceil(p.calibrationDays / spanDays), Math.floor((input.maxReplayWork ?? MAX_REPLAY_WORK) / replayWork(events, from, spanDays, p))));
	const local = new Recorder();
	for (let r = 0; r < replicates; r++) {
		const permuted = permuteWithinCategoryMonth(events, input.offsetMs, next);
		await replayLocal(permuted, from, dailyBaselines(permuted, baseline, p, first), p, groups, local);
	}
	const surge = new Recorder();
	await replaySurges(events, from, dailyBaselines(events, baseline, p, first), p, districts, groups, surge);

	const weeks = { local: (replicates * spanDays) / 7, surge: spanDays / 7 };
	const choice = {
		local: chooseThreshold(local.list, weeks.local, budget.local, FLOOR, nearCells),
		surge: chooseThreshold(surge.list, weeks.surge, budget.surge, FLOOR, (a, b) => a === b)
	};
	if (input.historyDays < p.coldStartDays) {
		// cold start: a few days say little about a week, so the threshold is also at least the
		// Bonferroni–Chernoff bound ln(tests a week / budget) for the tests the detector makes
		const categories = Math.max(1, new Set(events.map((e) => e.category)).size);
		const zones = Math.max(1, new Set(events.filter((e) => e.cell !== '' && e.cell !== '0').map((e) => e.cell)).size * 7);
		const looks = (ws: readonly number[]) => ws.length * (168 / Math.min(...ws));
		const floor = {
			local: Math.log((zones * categories * looks(p.windowsH)) / Math.max(budget.local, 1e-9)),
			surge: Math.log(((districts.length + 1) * categories * looks(p.surgeWindowsH)) / Math.max(budget.surge, 1e-9))
		};
		for (const kind of ['local', 'surge'] as const) {
			if (choice[kind].threshold < floor[kind]) choice[kind] = { ...choice[kind], threshold: Math.round(floor[kind] * 100) / 100, extrapolated: true };
		}
	}
	return {
		local: choice.local.threshold,
		surge: choice.surge.threshold,
		historyDays: input.historyDays,
		replayedWeeks: weeks,
		budgetPerWeek: budget,
		choice,
		exceedances: { local: local.list, surge: surge.list }
	};
}
