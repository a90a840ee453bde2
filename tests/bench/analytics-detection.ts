/**
 * Detection benchmark of tension hotspots. Simulated Barnaul years (one year of history before each
 * evaluated year, as the live product has after its backfill):
 * - calibration control (seed A, no clusters, overdispersed: bad days per district and category):
 *   the false-alarm rate for a sweep of thresholds;
 * - validation (seed B): the simulator's own `generateHistory` (server/simulate/history.ts), the
 *   demo's incidents with its daily, weekly and seasonal rhythm. Its control year (no clusters) gives
 *   the out-of-sample false-alarm rate at the configured threshold (and so does a third, overdispersed
 *   control year, which the simulator does not make); the same year generated with cluster specs adds
 *   the simulator's clusters (`makeCluster`: one category, the season's default, at neighbouring
 *   houses of one street within 500 m, spread over 3 h) with their ground truth, 60 per size 3/5/8/12,
 *   starting at density-weighted times. The background and the clusters are separate random streams,
 *   so each cluster is replayed on its own over the control year: one at a time.
 * Reported: recall, median minutes from a cluster's first and fifth incident to its `opened` alert,
 * false alarms (opened alerts and episodes) per week. Run: node --import tsx tests/bench/analytics-detection.ts
 */
import path from 'node:path';
import { loadCityPack } from '../../server/city/pack.ts';
import { latLngToCell } from 'h3-js';
import type { IncidentInput } from '../../src/lib/contract/incident.ts';
import type { CityPack } from '../../server/city/pack.ts';
import { IncidentFactory } from '../../server/simulate/generator.ts';
import { generateHistory } from '../../server/simulate/history.ts';
import type { ClusterSpec } from '../../server/simulate/clusters.ts';
import { Rng } from '../../server/simulate/random.ts';
import { HOTSPOT_PARAMS, type HotspotParams } from '../../server/analytics/hotspots/params.ts';
import type { RecentIncident } from '../../server/analytics/hotspots/detect.ts';
import { backgroundYear } from '../analytics/support/synthetic-year.ts';
import { DailyBaselines, replay, upper, type TimedAlert } from '../analytics/support/replay.ts';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const HISTORY_FROM = Date.parse('2023-01-02T00:00:00+07:00');
const EVAL_FROM = Date.parse('2024-01-01T00:00:00+07:00'); // a Monday
const EVAL_WEEKS = 52;
const EVAL_TO = EVAL_FROM + EVAL_WEEKS * WEEK;
const SIZES = [3, 5, 8, 12];
const CLUSTERS_PER_SIZE = 60;
const RADIUS_KM = 0.5;
const DURATION_H = 3;
const SWEEP = [8, 10, 12, 14, 16, 18, 20];
/** The fixed LLR of the first version, kept here only to compare with; the product calibrates (hotspots bench). */
const LEGACY_THRESHOLD = 16;
/** Var = mean + 0.5·mean² per district, category and day: a null with bad days, harsher than Poisson. */
const OVERDISPERSION = 0.5;

const median = (xs: number[]) => {
	if (!xs.length) return null;
	const s = [...xs].sort((a, b) => a - b);
	const m = (s.length - 1) / 2;
	return (s[Math.floor(m)]! + s[Math.ceil(m)]!) / 2;
};
const round = (x: number | null, k = 1) => (x === null ? null : Math.round(x * 10 ** k) / 10 ** k);

function distKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
	const dy = (a.lat - b.lat) * 111.2;
	const dx = (a.lon - b.lon) * 111.2 * Math.cos((a.lat * Math.PI) / 180);
	return Math.hypot(dx, dy);
}

/** Opened alerts, and episodes: openings within 24 h and 1 km of an earlier one count once. */
function falseAlarms(alerts: TimedAlert[]): { opened: number; episodes: number } {
	const opened = alerts.filter((a) => a.alert.kind === 'opened');
	const heads: TimedAlert[] = [];
	for (const a of opened) {
		const same = heads.some((h) => a.at - h.at <= 24 * HOUR && distKm(h.alert.hotspot.center, a.alert.hotspot.center) <= 1);
		if (!same) heads.push(a);
	}
	return { opened: opened.length, episodes: heads.length };
}

function controlRun(events: RecentIncident[], params: HotspotParams, threshold: number) {
	const alerts = replay(events, new DailyBaselines(events, params), params, { local: threshold, surge: Infinity }, EVAL_FROM, EVAL_TO, 5);
	const fa = falseAlarms(alerts);
	return { opened_per_week: round(fa.opened / EVAL_WEEKS, 2)!, episodes_per_week: round(fa.episodes / EVAL_WEEKS, 2)! };
}

interface ClusterResult {
	size: number;
	detected: boolean;
	fromStartMin: number | null;
	fromFifthMin: number | null;
}

/** A simulated incident as the detector sees it; unlocated ones never take part in a hotspot. */
function toRecent(i: IncidentInput): RecentIncident | null {
	if (i.lat === undefined || i.lon === undefined) return null;
	return {
		id: i.id,
		cell: latLngToCell(i.lat, i.lon, 9),
		category: i.category,
		address: i.address ?? '',
		district: i.district ?? 'unknown',
		createdAt: Date.parse(i.created_at),
		lat: i.lat,
		lon: i.lon
	};
}

const located = (xs: IncidentInput[]) => xs.map(toRecent).filter((x): x is RecentIncident => x !== null);

interface SimulatedCluster {
	size: number;
	category: string;
	incidents: RecentIncident[];
	start: number;
	end: number;
}

/**
 * The validation year from the simulator: its control year, and its clusters (ground truth) from the
 * same year generated again with cluster specs at density-weighted starts.
 */
function simulatedYear(city: CityPack, seed: number): { background: RecentIncident[]; clusters: SimulatedCluster[] } {
	const factory = new IncidentFactory(city);
	const span = { city, seed, start: new Date(HISTORY_FROM), end: new Date(EVAL_TO), factory };
	const background = located(generateHistory(span).incidents);
	const rng = new Rng(303);
	const lo = upper(background, EVAL_FROM);
	const specs: ClusterSpec[] = SIZES.flatMap((size) =>
		Array.from({ length: CLUSTERS_PER_SIZE }, () => ({
			size,
			radiusM: RADIUS_KM * 1000,
			durationH: DURATION_H,
			// a density-weighted start: the time of a random background incident of the evaluated year
			start: new Date(background[lo + Math.floor(rng.next() * (background.length - lo))]!.createdAt)
		}))
	);
	const withClusters = generateHistory({ ...span, clusters: specs });
	const byId = new Map(located(withClusters.incidents).map((i) => [i.id, i]));
	const clusters = withClusters.clusters.map((t) => ({
		size: t.size,
		category: t.category,
		incidents: t.incident_ids.map((id) => byId.get(id)!),
		start: Date.parse(t.start),
		end: Date.parse(t.end)
	}));
	return { background, clusters };
}

function clusterRun(background: RecentIncident[], baselines: DailyBaselines, c: SimulatedCluster, params: HotspotParams): ClusterResult {
	const ids = new Set(c.incidents.map((i) => i.id));
	const lo = upper(background, c.start - 25 * HOUR);
	const hi = upper(background, c.end + 2 * HOUR);
	const events = [...background.slice(lo, hi), ...c.incidents].sort((a, b) => a.createdAt - b.createdAt);
	let detectedAt: number | null = null;
	replay(events, baselines, params, { local: LEGACY_THRESHOLD, surge: Infinity }, c.start, c.end + HOUR, 1, (t, tracker) => {
		if (tracker.current().some((h) => [...h.incidentIds].some((id) => ids.has(id)))) {
			detectedAt = t;
			return true;
		}
		return false;
	});
	const fifth = c.incidents[4]?.createdAt ?? null;
	return {
		size: c.size,
		detected: detectedAt !== null,
		fromStartMin: detectedAt === null ? null : (detectedAt - c.start) / 60_000,
		fromFifthMin: detectedAt === null || fifth === null ? null : (detectedAt - fifth) / 60_000
	};
}

export async function run(): Promise<Record<string, unknown>> {
	const t0 = Date.now();
	const city = loadCityPack(path.resolve(import.meta.dirname, '../../city/barnaul'), 'Asia/Barnaul');
	const calibration = backgroundYear(city, 101, HISTORY_FROM, EVAL_TO, OVERDISPERSION);
	const { background: validation, clusters } = simulatedYear(city, 202);
	const validationOver = backgroundYear(city, 404, HISTORY_FROM, EVAL_TO, OVERDISPERSION);
	const generatedS = (Date.now() - t0) / 1000;

	const sweep = SWEEP.map((threshold) => ({ threshold, ...controlRun(calibration, HOTSPOT_PARAMS, threshold) }));
	const params = HOTSPOT_PARAMS;
	const control = controlRun(validation, params, LEGACY_THRESHOLD);
	const controlOver = controlRun(validationOver, params, LEGACY_THRESHOLD);

	const baselines = new DailyBaselines(validation, params);
	const results = clusters.map((c) => clusterRun(validation, baselines, c, params));
	const bySize = SIZES.map((size) => {
		const r = results.filter((x) => x.size === size);
		const hit = r.filter((x) => x.detected);
		return {
			size,
			clusters: r.length,
			recall: round(hit.length / r.length, 3),
			recall_60min_after_5th: size >= 5 ? round(r.filter((x) => x.fromFifthMin !== null && x.fromFifthMin <= 60).length / r.length, 3) : null,
			median_min_from_start: round(median(hit.map((x) => x.fromStartMin!))),
			median_min_from_5th: size >= 5 ? round(median(hit.map((x) => x.fromFifthMin!))) : null
		};
	});
	const big = results.filter((x) => x.size >= 5);
	const summary = {
		threshold: LEGACY_THRESHOLD,
		recall_ge5: round(big.filter((x) => x.detected).length / big.length, 3),
		recall_ge5_within_60min_of_5th: round(big.filter((x) => x.fromFifthMin !== null && x.fromFifthMin <= 60).length / big.length, 3),
		median_min_from_5th_ge5: round(median(big.filter((x) => x.detected).map((x) => x.fromFifthMin!))),
		false_alarm_opened_per_week: control.opened_per_week,
		false_alarm_episodes_per_week: control.episodes_per_week,
		false_alarm_opened_per_week_overdispersed: controlOver.opened_per_week,
		false_alarm_episodes_per_week_overdispersed: controlOver.episodes_per_week
	};
	return {
		incidents_per_year: Math.round(validation.filter((e) => e.createdAt >= EVAL_FROM).length * (52 / EVAL_WEEKS)),
		cluster: { radius_km: RADIUS_KM, duration_h: DURATION_H, per_size: CLUSTERS_PER_SIZE },
		summary,
		by_size: bySize,
		calibration_sweep: sweep,
		targets: { recall_ge5: 0.9, detected_within_min_of_5th: 60, false_alarms_per_week: 1 },
		seconds: { generate: round(generatedS), total: round((Date.now() - t0) / 1000) }
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const r = await run();
	console.log('threshold sweep on the calibration control year (overdispersed):');
	console.table(r.calibration_sweep);
	console.log('injected clusters (validation year):');
	console.table(r.by_size);
	console.table([r.summary]);
	console.log(JSON.stringify({ bench: 'analytics-detection', ...r }));
}
