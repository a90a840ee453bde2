/**
 * Replays the detector over a simulated stream, exactly as the live engine runs it: baselines rebuilt
 * every day from history that ends 24 h before the day, detection at every arrival and on a clock,
 * the same pure modules (detect, merge, lifecycle). Nothing here knows the ground truth.
 */
import type { Baseline } from '../../../server/analytics/hotspots/baseline.ts';
import { buildBaseline } from '../../../server/analytics/hotspots/build-baseline.ts';
import type { RecentIncident } from '../../../server/analytics/hotspots/detect.ts';
import { HotspotTracker, type ScopedAlert } from '../../../server/analytics/hotspots/lifecycle.ts';
import type { HotspotParams, Thresholds } from '../../../server/analytics/hotspots/params.ts';
import { detectHotspots, postGroupsOf } from '../../../server/analytics/hotspots/run-detection.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFSET_MS = 7 * HOUR;
const offsetMin = () => 420;

/** First index with createdAt > t (events sorted by time). */
export function upper(events: readonly RecentIncident[], t: number): number {
	let lo = 0;
	let hi = events.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (events[mid]!.createdAt <= t) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

export class DailyBaselines {
	private readonly cache = new Map<number, Baseline>();
	constructor(
		private readonly history: readonly RecentIncident[],
		private readonly params: HotspotParams
	) {}

	at(t: number): Baseline {
		const day = Math.floor((t + OFFSET_MS) / DAY);
		let b = this.cache.get(day);
		if (b) return b;
		const to = day * DAY - OFFSET_MS - DAY; // local midnight of the day, minus a 24 h guard band
		const from = upper(this.history, to - this.params.spatialDays * DAY - 1);
		const end = upper(this.history, to - 1);
		const catFrom = to - this.params.categoryDays * DAY;
		const cells = new Map<string, number>();
		const cats = new Map<string, number>();
		const areas = new Map<string, number>();
		const how = new Array<number>(168).fill(0);
		for (let i = from; i < end; i++) {
			const e = this.history[i]!;
			if (e.cell !== '' && e.cell !== '0') cells.set(e.cell, (cells.get(e.cell) ?? 0) + 1);
			const ak = `${e.district}\u0000${e.category}`;
			areas.set(ak, (areas.get(ak) ?? 0) + 1);
			if (e.createdAt >= catFrom) cats.set(e.category, (cats.get(e.category) ?? 0) + 1);
			how[(Math.floor((e.createdAt + OFFSET_MS) / HOUR) + 72) % 168]! += 1;
		}
		b = buildBaseline(
			{
				to,
				firstMs: this.history[from]?.createdAt ?? null,
				cells: [...cells].map(([cell, n]) => ({ cell, n })),
				categories: [...cats].map(([category, n]) => ({ category, n })),
				hourOfWeek: how.map((n, h) => ({ how: h, n })),
				areas: [...areas].map(([k, n]) => ({ district: k.split('\u0000')[0]!, category: k.split('\u0000')[1]!, n }))
			},
			this.params,
			offsetMin
		);
		this.cache.set(day, b);
		return b;
	}
}

export interface TimedAlert extends ScopedAlert {
	at: number;
}

/**
 * Runs the detector over `events` (sorted) from `from` to `to`: at every arrival and every `stepMin`
 * minutes. `onStep` may stop the replay early by returning true.
 */
export function replay(
	events: readonly RecentIncident[],
	baselines: DailyBaselines,
	params: HotspotParams,
	thresholds: Thresholds,
	from: number,
	to: number,
	stepMin: number,
	onStep?: (t: number, tracker: HotspotTracker, alerts: ScopedAlert[]) => boolean,
	districts: readonly string[] = []
): TimedAlert[] {
	const tracker = new HotspotTracker(params);
	const out: TimedAlert[] = [];
	const maxWindow = Math.max(...params.windowsH, ...params.surgeWindowsH) * HOUR;
	// copies are copies whenever they are looked at: grouped once over the whole stream
	const groups = postGroupsOf(events.slice(upper(events, from - maxWindow), upper(events, to)));
	let next = upper(events, from);
	let clock = from;
	const step = (t: number): boolean => {
		const recent = events.slice(upper(events, t - maxWindow), upper(events, t));
		const alerts = tracker.update(t, detectHotspots(t, recent, baselines.at(t), params, thresholds, districts, groups));
		for (const a of alerts) out.push({ ...a, at: t });
		return onStep?.(t, tracker, alerts) ?? false;
	};
	while (clock <= to) {
		const arrival = events[next]?.createdAt ?? Infinity;
		if (arrival <= clock) {
			next = upper(events, arrival);
			if (step(arrival)) break;
		} else {
			if (step(clock)) break;
			clock += stepMin * 60_000;
		}
	}
	return out;
}
