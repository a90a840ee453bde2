/**
 * Analytics of MCU Pulse: Snapshots per scope and live pushes of what changed.
 * - `snapshot(scope)`: every Snapshot field computed in ClickHouse as of `now()`.
 * - after an ingest (debounced) and on a clock, the aggregates of the city scope and of every district
 *   scope are recomputed and only the changed parts are pushed (`aggregates`), at most once a second;
 *   hotspots are re-detected and pushed with their lifecycle alerts.
 * The domain talks to sockets only through the publisher interface.
 */
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { Hotspot, HotspotAlert, Snapshot, SnapshotDelta } from '../../src/lib/contract/snapshot.ts';
import { feedText } from '../../src/lib/contract/incident.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/client.ts';
import { computeAggregates, type Aggregates, type AnalyticsCity } from './aggregates.ts';
import { Checkpoints } from './checkpoint.ts';
import { HotspotEngine } from './hotspots/engine.ts';
import { HOTSPOT_PARAMS, type HotspotParams, type Thresholds } from './hotspots/params.ts';
import type { Calibration } from './hotspots/calibrate.ts';
import { queryFeed } from './queries/feed.ts';
import { logAlerts } from './hotspots/alert-log.ts';
import { isoOut } from './time.ts';
import { CoalescedPass } from './coalesced-pass.ts';
import { RepeatStats, withRepeats } from '../places/repeat-stats.ts';
import { repeatLinks } from '../places/queries/repeat-links.ts';
import { DEFAULT_REPEAT_WINDOWS, type RepeatWindows } from '../places/windows.ts';
import { AcceptanceStats, withAcceptance } from '../alerts/acceptance-stats.ts';

export type { AnalyticsCity } from './aggregates.ts';

export interface Analytics {
	snapshot(scope: Scope): Promise<Snapshot>;
	/** Called after every durable ingest with the districts touched (empty: not known, all); debounced recompute + push. */
	notifyIngest(districts: ReadonlySet<string>): void;
	start(): void;
	stop(): Promise<void>;
}

/** What analytics needs of the live publisher (server/realtime/publisher.ts `LivePublisher`). */
export interface AnalyticsPublisher {
	aggregates(delta: SnapshotDelta): void;
	hotspots(scope: Scope, hotspots: Hotspot[]): void;
	hotspotAlert(scope: Scope, alert: HotspotAlert): void;
}

export interface AnalyticsDeps {
	store: Store;
	city: AnalyticsCity;
	config: Pick<Config, 'tz'> & Partial<Pick<Config, 'hotspotFalseAlarmsPerWeek'>>;
	publisher: AnalyticsPublisher;
	now?: () => Date;
	/** Background failures (a recompute, a checkpoint); they never reach a timer or a caller. */
	logError?: (msg: string, err: unknown) => void;
	/** Detector tuning; the calibrated defaults unless a test or benchmark says otherwise. */
	hotspotParams?: HotspotParams;
	/** Repeat windows per category (server/places/windows.ts); 30 days for all when absent. */
	repeatWindows?: RepeatWindows;
	/** Fixed hotspot thresholds (tests); calibrated from the store's history otherwise. */
	hotspotThresholds?: Thresholds;
	/** Told each hotspot calibration (metrics, log). */
	onHotspotCalibration?: (c: Calibration, ms: number) => void;
	/** 'background' (the server): the first Snapshot does not wait for the first calibration; default 'wait'. */
	hotspotCalibration?: 'wait' | 'background';
	log?: (msg: string) => void;
	/** Outbound alerts are on: Snapshots carry the alert → acceptance times (`alert_acceptance_7d`). */
	alertAcceptance?: boolean;
	/**
	 * Clock periods and the ingest debounce, in ms. `snapshotCacheMs`: a scope's Snapshot is reused for
	 * this long (wall clock) unless an ingest was notified meanwhile; 0 computes every one.
	 */
	timing?: { aggregatesEveryMs?: number; hotspotsEveryMs?: number; debounceMs?: number; minPushIntervalMs?: number; snapshotCacheMs?: number };
}

const PARTS = ['kpis', 'districts', 'trends'] as const;
/** A recompute after ingest waits at least this many times the previous one's duration. */
const FLUSH_COST_FACTOR = 4;

export function createAnalytics(deps: AnalyticsDeps): Analytics {
	const { store, city, publisher } = deps;
	const tz = deps.config.tz;
	const now = deps.now ?? (() => new Date());
	const timing = { aggregatesEveryMs: 30_000, hotspotsEveryMs: 60_000, debounceMs: 250, minPushIntervalMs: 1_000, snapshotCacheMs: 1_000, ...deps.timing };
	const params = deps.hotspotParams ?? { ...HOTSPOT_PARAMS, falseAlarmsPerWeek: deps.config.hotspotFalseAlarmsPerWeek ?? HOTSPOT_PARAMS.falseAlarmsPerWeek };
	const engine = new HotspotEngine(store, tz, params, {
		districts: city.districts.map((d) => d.code),
		thresholds: deps.hotspotThresholds,
		onCalibrated: (c, ms) => {
			deps.onHotspotCalibration?.(c, ms);
			// a background calibration ends the start's blind spell: detect at once, not at the next clock tick
			if (deps.hotspotCalibration === 'background' && !stopped) void hotspotPasses.request();
		},
		calibration: deps.hotspotCalibration,
		log: deps.log
	});
	const logError = deps.logError ?? (() => {});
	const ckpts = new Checkpoints(store, (err) => logError('analytics: checkpoint advance failed', err));
	const windows = deps.repeatWindows ?? DEFAULT_REPEAT_WINDOWS;
	const repeats = new RepeatStats(store, windows);
	const acceptance = deps.alertAcceptance ? new AcceptanceStats(store, city.districts.map((d) => d.code), (err) => logError('analytics: alert acceptance times failed', err)) : null;
	const aggregatesOf = async (scope: Scope, at: Date): Promise<Aggregates> => {
		const agg = withRepeats(await computeAggregates(store, ckpts, city, tz, scope, at), await repeats.forScope(scope, at));
		return acceptance ? withAcceptance(agg, await acceptance.forScope(scope, at)) : agg;
	};
	const scopes: Scope[] = [{ district: null }, ...city.districts.map((d) => ({ district: d.code }))];
	const key = (s: Scope) => s.district ?? '';
	const sent = new Map<string, Partial<Record<(typeof PARTS)[number], string>>>();
	const sentHotspots = new Map<string, string>();
	let hotspotsRan = false;
	/** Bumped by every ingest notification: a cached Snapshot from an older generation is stale. */
	let generation = 0;
	const cached = new Map<string, { gen: number; wallMs: number; snapshot: Omit<Snapshot, 'hotspots'> }>();
	let chain: Promise<void> = Promise.resolve();
	let pending: Set<string> | null = null;
	let debounce: NodeJS.Timeout | null = null;
	let lastFlush = 0;
	/** How long the last flush took: the next one waits a multiple of it (see schedule). */
	let lastFlushCost = 0;
	const clocks: NodeJS.Timeout[] = [];
	let stopped = false;

	/** Work runs one job at a time, in order: the engine serialises queries anyway. */
	function enqueue<T>(job: () => Promise<T>): Promise<T> {
		const run = chain.then(job);
		chain = run.then(
			() => undefined,
			(err: unknown) => {
				if (!stopped) logError('analytics: background work failed', err);
			}
		);
		return run;
	}
	/** Background work: failures are logged by the chain, never thrown at a timer. */
	const background = (job: () => Promise<void>) => void enqueue(job).catch(() => undefined);
	/** Hotspot passes: their own line, so a Snapshot never waits for a detection in progress. */
	// Spaced like the recompute after ingest (schedule): the next pass waits four times the last one's
	// duration, so that detection takes at most about a fifth of the machine under sustained ingest.
	let lastPassCost = 0;
	const hotspotPasses = new CoalescedPass(
		async () => {
			const t0 = Date.now();
			try {
				await runHotspots();
			} finally {
				lastPassCost = Date.now() - t0;
			}
		},
		(err) => {
			if (!stopped) logError('analytics: hotspot detection failed', err);
		},
		() => FLUSH_COST_FACTOR * lastPassCost
	);

	async function runHotspots(): Promise<void> {
		const at = now();
		const alerts = await engine.run(at);
		hotspotsRan = true;
		await logAlerts(store, at, alerts.map((a) => a.alert));
		for (const { alert, districts } of alerts) {
			publisher.hotspotAlert({ district: null }, alert);
			for (const d of districts) if (d !== 'unknown') publisher.hotspotAlert({ district: d }, alert);
		}
		for (const scope of scopes) {
			const list = engine.list(scope);
			const json = JSON.stringify(list);
			if (sentHotspots.get(key(scope)) !== json) {
				sentHotspots.set(key(scope), json);
				publisher.hotspots(scope, list);
			}
		}
	}

	async function pushAggregates(scope: Scope): Promise<void> {
		const at = now();
		const agg: Aggregates = await aggregatesOf(scope, at);
		const last = sent.get(key(scope)) ?? {};
		const delta: SnapshotDelta = { as_of: at.toISOString(), scope };
		let changed = false;
		for (const part of PARTS) {
			const json = JSON.stringify(agg[part]);
			if (last[part] !== json) {
				last[part] = json;
				Object.assign(delta, { [part]: agg[part] });
				changed = true;
			}
		}
		sent.set(key(scope), last);
		if (changed) publisher.aggregates(delta);
	}

	async function flush(keys: ReadonlySet<string>, withHotspots: boolean): Promise<void> {
		lastFlush = Date.now();
		for (const scope of scopes) if (keys.has(key(scope)) && !stopped) await pushAggregates(scope);
		lastFlushCost = Date.now() - lastFlush;
		if (withHotspots && !stopped) void hotspotPasses.request();
	}

	function schedule(): void {
		if (debounce || stopped) return;
		// Debounced, and never sooner than the push interval after the last flush (≤ 1 push/s per scope).
		// The engine runs one query at a time, so under sustained ingest the recompute also waits four times
		// its own last duration: analytics then takes at most a fifth of the engine and inserts keep flowing.
		const spacing = Math.max(timing.minPushIntervalMs, FLUSH_COST_FACTOR * lastFlushCost);
		const wait = Math.max(timing.debounceMs, spacing - (Date.now() - lastFlush));
		debounce = setTimeout(() => {
			debounce = null;
			const keys = pending ?? new Set<string>();
			pending = null;
			background(() => flush(keys, true));
		}, wait);
	}

	return {
		async snapshot(scope: Scope): Promise<Snapshot> {
			// Only the first Snapshot waits for a detection (the one running, if any): later ones carry the
			// hotspots of the last finished pass.
			if (!hotspotsRan && !stopped) await hotspotPasses.current();
			return enqueue(async () => {
				// Many clients of one scope connecting at once (a wall reloading) share one computation;
				// the figures are at most snapshotCacheMs old and never older than the last ingest.
				const hit = cached.get(key(scope));
				if (hit && hit.gen === generation && Date.now() - hit.wallMs < timing.snapshotCacheMs) {
					return { ...hit.snapshot, hotspots: engine.list(scope) };
				}
				const gen = generation;
				const wallMs = Date.now();
				const at = now();
				const [agg, feed] = await Promise.all([aggregatesOf(scope, at), queryFeed(store, at, scope.district)]);
				const links = await repeatLinks(store, feed, scope.district, windows);
				const snapshot: Omit<Snapshot, 'hotspots'> = {
					as_of: at.toISOString(),
					scope: { district: scope.district },
					...agg,
					feed: feed.map(({ place_key: _place, ...r }) => ({
						...r,
						created_at: isoOut(r.created_at),
						deadline_at: isoOut(r.deadline_at),
						text: feedText(r.text),
						repeat_of: links.get(r.id)?.repeat_of ?? null
					}))
				};
				if (timing.snapshotCacheMs > 0) cached.set(key(scope), { gen, wallMs, snapshot });
				return { ...snapshot, hotspots: engine.list(scope) };
			});
		},
		notifyIngest(districts: ReadonlySet<string>): void {
			generation++;
			repeats.invalidate();
			pending ??= new Set();
			pending.add('');
			// An empty set means "districts not known" (status events are stored without a lookup of their
			// incidents): every district scope is refreshed, so an answer moves its district's numbers at once.
			for (const d of districts.size > 0 ? districts : scopes.map(key)) pending.add(d);
			schedule();
		},
		start(): void {
			stopped = false;
			hotspotPasses.open();
			const all = new Set(scopes.map(key));
			clocks.push(setInterval(() => background(() => flush(all, false)), timing.aggregatesEveryMs));
			clocks.push(setInterval(() => void hotspotPasses.request(), timing.hotspotsEveryMs));
			void hotspotPasses.request();
		},
		async stop(): Promise<void> {
			stopped = true;
			for (const c of clocks) clearInterval(c);
			clocks.length = 0;
			if (debounce) clearTimeout(debounce);
			debounce = null;
			await chain;
			await hotspotPasses.close();
			await ckpts.idle();
			await engine.stop();
		}
	};
}
