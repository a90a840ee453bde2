/**
 * Live hotspot detection over the store: the baseline aggregates are re-read from ClickHouse at most
 * once an hour (they move slowly), the last 24 h on every run; the thresholds are recalibrated from the
 * city's own history (calibrate.ts) on the first run and then once a day, as part of a background run.
 * Detection, merging, surges and the lifecycle are the pure modules beside this one.
 */
import type { Hotspot } from '../../../src/lib/contract/snapshot.ts';
import type { Scope } from '../../../src/lib/contract/roles.ts';
import type { Store } from '../../store/client.ts';
import { queryHotspotAreas } from '../queries/hotspot-areas.ts';
import { queryHotspotCategories } from '../queries/hotspot-categories.ts';
import { queryHotspotCells } from '../queries/hotspot-cells.ts';
import { queryHotspotHistory } from '../queries/hotspot-history.ts';
import { MAX_RECENT_POSTS, queryHotspotRecent } from '../queries/hotspot-recent.ts';
import { queryHotspotShape } from '../queries/hotspot-shape.ts';
import type { Baseline } from './baseline.ts';
import { buildBaseline } from './build-baseline.ts';
import type { Calibration } from './calibrate.ts';
import { calibrateOffThread } from './calibrate-off-thread.ts';
import { hourlyOffsetMinutes } from '../time.ts';
import type { RecentIncident } from './detect.ts';
import { HotspotTracker, type ScopedAlert } from './lifecycle.ts';
import type { HotspotParams, Thresholds } from './params.ts';
import { DetectionThread } from './detect-off-thread.ts';

const DAY = 86_400_000;
const BASELINE_TTL = 3_600_000;
/** A baseline read from an empty store is read again on the next run (four queries on nothing: cheap). */
const EMPTY_BASELINE_TTL = 0;
const CALIBRATION_TTL = DAY;
/**
 * Older history arriving (an import, a backfill) makes the thresholds stale once it lengthens the history
 * they were computed on by this share (or by an hour, on a young store): a stream of late posts, each a
 * little older than the last, must not restart a calibration every run.
 */
const STALE_HISTORY_GROWTH = 0.1;
/** Rows the calibration reads at most: a 10× Barnaul fits 85 days in it. */
const CALIBRATION_ROWS = 200_000;

export interface HotspotEngineOptions {
	districts: readonly string[];
	/** Fixed thresholds (a test or benchmark); calibrated from the store's history otherwise. */
	thresholds?: Thresholds;
	/** Told every calibration's result: metrics and the log. */
	onCalibrated?: (c: Calibration, ms: number) => void;
	/**
	 * 'wait': the first run waits for the first calibration (tests, a fixed replay). 'background' (the
	 * server): calibration runs beside the runs; until the first one is done nothing is detected, so a
	 * restart serves its first Snapshot at once.
	 */
	calibration?: 'wait' | 'background';
	/** Told when a background calibration fails (it is retried on the next run). */
	log?: (msg: string) => void;
}

type Row = Awaited<ReturnType<typeof queryHotspotRecent>>[number];

const toRecent = (r: Row): RecentIncident => ({
	id: r.id,
	cell: r.cell,
	category: r.category,
	address: r.address,
	district: r.district,
	createdAt: r.created_ms,
	lat: r.lat,
	lon: r.lon,
	text: r.text,
	url: r.url,
	author: r.author_hash
});

/** True when older history arrived since the calibration: enough to change what it was computed on. */
function historyGrew(cal: { at: number; firstMs: number | null }, firstMs: number | null): boolean {
	if (firstMs === null) return false;
	if (cal.firstMs === null) return true;
	const span = Math.max(cal.at - cal.firstMs, 0);
	return cal.firstMs - firstMs > Math.max(3_600_000, STALE_HISTORY_GROWTH * span);
}

export class HotspotEngine {
	private readonly tracker: HotspotTracker;
	private baseline: { builtAt: number; value: Baseline; firstMs: number | null } | null = null;
	/** `firstMs`: where the history began when it was computed; an import of older history makes it stale. */
	private calibration: { at: number; thresholds: Thresholds; firstMs: number | null } | null = null;
	private calibrating: Promise<Thresholds> | null = null;
	/** The last pass found more recent incidents than a pass reads (logged when that changes). */
	private recentCut = false;
	/** The city's UTC offset, remembered per hour (asked at every arrival of a detection run). */
	private readonly offsetMin: (ms: number) => number;
	/** Detection passes run off the main thread (detect-off-thread.ts). */
	private readonly detector: DetectionThread;

	constructor(
		private readonly store: Store,
		private readonly tz: string,
		private readonly params: HotspotParams,
		private readonly options: HotspotEngineOptions = { districts: [] }
	) {
		this.tracker = new HotspotTracker(params);
		this.offsetMin = hourlyOffsetMinutes(tz);
		this.detector = new DetectionThread(tz);
		if (options.thresholds) this.calibration = { at: Infinity, thresholds: options.thresholds, firstMs: null };
	}

	/** The thresholds in use, or null before the first calibration. */
	thresholds(): Thresholds | null {
		return this.calibration?.thresholds ?? null;
	}

	private async loadBaseline(now: number): Promise<{ value: Baseline; firstMs: number | null }> {
		const b = this.baseline;
		// A baseline read from an empty store (a fresh deployment, before its first data or import) is read
		// again on the next run instead of in an hour: the city's first history must not wait.
		const ttl = b && b.firstMs === null ? EMPTY_BASELINE_TTL : BASELINE_TTL;
		if (b && now - b.builtAt < ttl && now >= b.builtAt) return b;
		const to = new Date(now - DAY);
		const spatialFrom = new Date(to.getTime() - this.params.spatialDays * DAY);
		const [cells, categories, shape, areas] = [
			await queryHotspotCells(this.store, spatialFrom, to),
			await queryHotspotCategories(this.store, new Date(to.getTime() - this.params.categoryDays * DAY), to),
			await queryHotspotShape(this.store, spatialFrom, new Date(now), this.tz),
			await queryHotspotAreas(this.store, spatialFrom, to)
		];
		// the shape reads up to now (not to): the earliest incident also tells a young store its age
		const firstMs = shape.length ? Math.min(...shape.map((r) => r.first_ms)) : null;
		const value = buildBaseline({ to: to.getTime(), firstMs, cells, categories, hourOfWeek: shape, areas }, this.params, this.offsetMin);
		this.baseline = { builtAt: now, value, firstMs };
		return this.baseline;
	}

	private async calibrateNow(now: number, baseline: Baseline, firstMs: number | null): Promise<Thresholds> {
		const started = Date.now();
		const days = this.params.calibrationDays + this.params.categoryDays + 1;
		const rows = await queryHotspotHistory(this.store, new Date(now - days * DAY), new Date(now), CALIBRATION_ROWS);
		const events = rows.map(toRecent).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
		const historyDays = firstMs === null ? 0 : Math.max(0, (now - firstMs) / DAY);
		const c = await calibrateOffThread({
			events,
			baseline: baseline.aggregates,
			params: this.params,
			districts: this.options.districts,
			historyDays,
			to: now,
			tz: this.tz
		});
		this.calibration = { at: now, thresholds: { local: c.local, surge: c.surge }, firstMs };
		this.options.onCalibrated?.(c, Date.now() - started);
		return this.calibration.thresholds;
	}

	/** One detection run as of `now`; returns the alerts it raised. */
	async run(now: Date): Promise<ScopedAlert[]> {
		const t = now.getTime();
		const { value: baseline, firstMs } = await this.loadBaseline(t);
		const cal = this.calibration;
		const fresh = cal !== null && (cal.at === Infinity || (t >= cal.at && t - cal.at < CALIBRATION_TTL && !historyGrew(cal, firstMs)));
		let thresholds = cal?.thresholds ?? null;
		if (!fresh) {
			this.calibrating ??= this.calibrateNow(t, baseline, firstMs).finally(() => (this.calibrating = null));
			if (this.options.calibration !== 'background' || thresholds === null) {
				if (this.options.calibration === 'background') {
					// not yet calibrated: detect nothing rather than guess; the next run after it has thresholds
					this.calibrating.catch((e: unknown) => this.options.log?.(`hotspot calibration failed: ${(e as Error).message}`));
					return [];
				}
				thresholds = await this.calibrating;
			} else {
				// stale thresholds stay in use while the new ones are computed
				this.calibrating.catch((e: unknown) => this.options.log?.(`hotspot calibration failed: ${(e as Error).message}`));
			}
		}
		if (thresholds === null) return [];
		// One row past the bound tells whether it cut; said once when cutting starts and once when it stops.
		const rows = await queryHotspotRecent(this.store, now, MAX_RECENT_POSTS + 1);
		const cut = rows.length > MAX_RECENT_POSTS;
		if (cut !== this.recentCut) {
			this.recentCut = cut;
			this.options.log?.(cut ? `hotspot detection: the last 24 h hold more than ${MAX_RECENT_POSTS} incidents; passes read the newest ${MAX_RECENT_POSTS}` : 'hotspot detection: the last 24 h fit the bound again');
		}
		if (cut) rows.length = MAX_RECENT_POSTS;
		const recent = rows.map(toRecent);
		const detected = await this.detector.detect(t, recent, baseline, this.params, thresholds, this.options.districts);
		return this.tracker.update(t, detected);
	}

	/** Ends the detection thread (a later run starts it again). */
	stop(): Promise<void> {
		return this.detector.stop();
	}

	/** Open hotspots of a scope: all of them for the city, those touching the district otherwise. */
	list(scope: Scope): Hotspot[] {
		return this.tracker
			.current()
			.filter((h) => scope.district === null || h.districts.includes(scope.district) || h.hotspot.district === scope.district)
			.map((h) => h.hotspot);
	}
}
