/**
 * Scores the detector on one scenario family, exactly as it runs live: thresholds calibrated from the
 * family's own history before the evaluated span (calibrate.ts, as the product does at start), daily
 * baselines from past data only, detection at every arrival (a score only rises when a post arrives),
 * the real merging, surge and lifecycle modules. Ground truth is used only to score.
 */
import { cellToLatLng } from 'h3-js';
import { calibrate } from '../../../server/analytics/hotspots/calibrate.ts';
import { scoreZones } from '../../../server/analytics/hotspots/detect.ts';
import { HotspotTracker } from '../../../server/analytics/hotspots/lifecycle.ts';
import type { HotspotParams, Thresholds } from '../../../server/analytics/hotspots/params.ts';
import { detectHotspots, postGroupsOf } from '../../../server/analytics/hotspots/run-detection.ts';
import { countEpisodes, type Exceedance } from '../../../server/analytics/hotspots/thresholds.ts';
import { DailyBaselines, upper } from '../../analytics/support/replay.ts';
import type { Injection, Post } from './scenario.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WINDOW = 24 * HOUR;

export interface FamilyData {
	/** Everything before `evalFrom` is history; [evalFrom, evalTo) is the control span. */
	background: Post[];
	evalFrom: number;
	evalTo: number;
	historyDays: number;
	injections: Injection[];
	districts: string[];
}

export interface InjectionResult {
	detected: boolean;
	/** Detected as the right kind (a surge for a surge shape). */
	rightKind: boolean;
	fromFifthMin: number | null;
	fromStartMin: number | null;
	/** Max local score of a zone holding an injected post, by arrival time: the AMOC delays. */
	trace: { t: number; score: number }[];
	fifth: number;
	/** Minutes from the 5th post to the first surge holding injected posts (surge shapes). */
	surgeFromFifthMin: number | null;
	/** Distinct surges and local hotspots that held injected posts over the replay. */
	surgeIds: number;
	localIds: number;
}

const near = (a: string, b: string) => {
	if (a === b) return true;
	const [la, lo] = cellToLatLng(a);
	const [lb, lob] = cellToLatLng(b);
	return Math.hypot((la - lb) * 111.2, (lo - lob) * 111.2 * Math.cos((la * Math.PI) / 180)) <= 1;
};

function distKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
	return Math.hypot((a.lat - b.lat) * 111.2, (a.lon - b.lon) * 111.2 * Math.cos((a.lat * Math.PI) / 180));
}

export async function calibrateFamily(d: FamilyData, baselines: DailyBaselines, p: HotspotParams) {
	const from = d.evalFrom - (p.calibrationDays + p.categoryDays + 1) * DAY;
	const events = d.background.slice(upper(d.background, from - 1), upper(d.background, d.evalFrom - 1));
	return calibrate({ events, baseline: baselines.at(d.evalFrom), districts: d.districts, historyDays: d.historyDays, to: d.evalFrom, offsetMs: () => 7 * HOUR }, p);
}

/** The control span: false-alarm episodes at the calibrated thresholds, and local exceedances for the AMOC. */
export function controlReplay(d: FamilyData, baselines: DailyBaselines, p: HotspotParams, thr: Thresholds, floor: number) {
	const ev = d.background;
	const groups = postGroupsOf(ev.slice(upper(ev, d.evalFrom - WINDOW), upper(ev, d.evalTo)));
	const tracker = new HotspotTracker(p);
	const heads: { t: number; kind: string; category: string; district: string | null; center: { lat: number; lon: number } }[] = [];
	const exceed: Exceedance[] = [];
	let lo = upper(ev, d.evalFrom - WINDOW);
	for (let i = upper(ev, d.evalFrom - 1); i < ev.length && ev[i]!.createdAt < d.evalTo; i++) {
		const t = ev[i]!.createdAt;
		if (ev[i + 1]?.createdAt === t) continue;
		while (ev[lo]!.createdAt <= t - WINDOW) lo++;
		const recent = ev.slice(lo, i + 1);
		const b = baselines.at(t);
		for (const a of tracker.update(t, detectHotspots(t, recent, b, p, thr, d.districts, groups))) {
			if (a.alert.kind !== 'opened') continue;
			const h = a.alert.hotspot;
			const same = heads.some(
				(x) => x.kind === h.kind && x.category === h.category && t - x.t <= DAY && (h.kind === 'surge' ? x.district === h.district : distKm(x.center, h.center) <= 1)
			);
			if (!same) heads.push({ t, kind: h.kind, category: h.category, district: h.district, center: h.center });
		}
		for (const z of scoreZones(t, recent, b, p, floor, groups)) exceed.push({ t, category: z.category, place: z.center, score: z.score });
	}
	const weeks = (d.evalTo - d.evalFrom) / (7 * DAY);
	return {
		weeks,
		episodes: heads.length,
		localEpisodes: heads.filter((h) => h.kind === 'local').length,
		surgeEpisodes: heads.filter((h) => h.kind === 'surge').length,
		/** Local false-alarm episodes a week at any threshold τ (the AMOC's x axis). */
		localRate: (tau: number) => countEpisodes(exceed, tau, near) / weeks
	};
}

export function injectionReplay(d: FamilyData, baselines: DailyBaselines, p: HotspotParams, thr: Thresholds, inj: Injection, floor: number): InjectionResult {
	const ev = d.background;
	const ids = new Set(inj.posts.map((x) => x.id));
	const until = inj.end + HOUR;
	const events = [...ev.slice(upper(ev, inj.start - WINDOW - HOUR), upper(ev, until)), ...inj.posts].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
	const groups = postGroupsOf(events);
	const tracker = new HotspotTracker(p);
	let detectedAt: number | null = null;
	let rightKind = false;
	const trace: { t: number; score: number }[] = [];
	let lo = 0;
	let surgeAt: number | null = null;
	const surgeIds = new Set<string>();
	const localIds = new Set<string>();
	for (let i = upper(events, inj.start - 1); i < events.length && events[i]!.createdAt <= until; i++) {
		const t = events[i]!.createdAt;
		if (events[i + 1]?.createdAt === t) continue;
		while (events[lo]!.createdAt <= t - WINDOW) lo++;
		const recent = events.slice(lo, i + 1);
		const b = baselines.at(t);
		tracker.update(t, detectHotspots(t, recent, b, p, thr, d.districts, groups));
		for (const h of tracker.current()) {
			if (![...h.incidentIds].some((x) => ids.has(x))) continue;
			(h.hotspot.kind === 'surge' ? surgeIds : localIds).add(h.hotspot.id);
			if (h.hotspot.kind === 'surge') surgeAt ??= t;
		}
		if (detectedAt === null) {
			const hit = tracker.current().find((h) => [...h.incidentIds].some((x) => ids.has(x)));
			if (hit) {
				detectedAt = t;
				rightKind = (hit.hotspot.kind === 'surge') === (inj.shape === 'district-surge' || inj.shape === 'city-surge');
			}
		}
		let best = 0;
		for (const z of scoreZones(t, recent, b, p, floor, groups)) if (z.score > best && z.incidents.some((x) => ids.has(x.id))) best = z.score;
		trace.push({ t, score: best });
	}
	const fifth = inj.posts[4]?.createdAt ?? inj.end;
	return {
		detected: detectedAt !== null,
		rightKind,
		fromFifthMin: detectedAt === null ? null : (detectedAt - fifth) / 60_000,
		fromStartMin: detectedAt === null ? null : (detectedAt - inj.start) / 60_000,
		trace,
		fifth,
		surgeFromFifthMin: surgeAt === null ? null : (surgeAt - fifth) / 60_000,
		surgeIds: surgeIds.size,
		localIds: localIds.size
	};
}
