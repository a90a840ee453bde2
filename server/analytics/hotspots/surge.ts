/**
 * Surges: one category far above its usual level across a district or the whole city (the first
 * snowfall, a boiler house down). Per category and area (each district, and the city), over windows
 * ending now, the expectation-based Poisson LLR of the distinct posts against the area's expected count
 * (baseline.ts `areaExpected`), posts with or without coordinates alike. Posts already in a local
 * hotspot of the category are left out first: a surge is an excess the local bursts do not explain.
 * - Surges in two or more districts of one category become ONE city-wide surge (district null); a
 *   single district's surge stays that district's unless the city passes without that district's posts
 *   too, and then the city's surge stands for both. So one category has at most one surge.
 * - A surge explains the local hotspots of its category in its area that its elevated rate accounts
 *   for: the caller drops them (`suppressExplained`), so a surge never also explodes into dozens of
 *   local points, while a building far denser than the surge stays a point of its own.
 */
import type { Baseline } from './baseline.ts';
import { distinctPosts, type RecentIncident } from './detect.ts';
import type { DetectedHotspot } from './merge.ts';
import type { HotspotParams } from './params.ts';
import { ebpScore } from './score.ts';

const HOUR = 3_600_000;

interface AreaScore {
	district: string | null;
	category: string;
	windowH: number;
	count: number;
	expected: number;
	score: number;
	incidents: RecentIncident[];
}

function bestWindow(
	now: number,
	district: string | null,
	category: string,
	list: readonly RecentIncident[],
	baseline: Baseline,
	p: HotspotParams,
	groups: ReadonlyMap<string, string> | undefined
): AreaScore | null {
	let best: AreaScore | null = null;
	for (const w of p.surgeWindowsH) {
		const from = now - w * HOUR;
		const inWindow = list.filter((i) => i.createdAt > from && i.createdAt <= now);
		if (inWindow.length < p.surgeMinCount) continue;
		const count = distinctPosts(inWindow, groups);
		if (count < p.surgeMinCount) continue;
		const expected = baseline.areaExpected(district, category, from, now);
		const score = ebpScore(count, expected);
		if (!best || score > best.score) best = { district, category, windowH: w, count, expected, score, incidents: inWindow };
	}
	return best;
}

/** Every area's best surge score per category (no threshold): the calibration reads these too. */
export function surgeScores(
	now: number,
	incidents: readonly RecentIncident[],
	baseline: Baseline,
	p: HotspotParams,
	districts: readonly string[],
	groups?: ReadonlyMap<string, string>,
	exclude: ReadonlySet<string> = new Set()
): AreaScore[] {
	const maxWindow = Math.max(...p.surgeWindowsH) * HOUR;
	const byCategory = new Map<string, RecentIncident[]>();
	for (const i of incidents) {
		if (exclude.has(i.id) || i.createdAt > now || i.createdAt <= now - maxWindow) continue;
		const l = byCategory.get(i.category) ?? [];
		l.push(i);
		byCategory.set(i.category, l);
	}
	const out: AreaScore[] = [];
	for (const [category, list] of byCategory) {
		if (list.length < p.surgeMinCount) continue;
		const city = bestWindow(now, null, category, list, baseline, p, groups);
		if (city) out.push(city);
		for (const d of districts) {
			const own = list.filter((i) => i.district === d);
			const s = own.length >= p.surgeMinCount ? bestWindow(now, d, category, own, baseline, p, groups) : null;
			if (s) out.push(s);
		}
	}
	return out;
}

function toDetected(now: number, s: AreaScore): DetectedHotspot {
	const incidents = [...s.incidents].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
	const located = incidents.filter((i) => i.cell !== '' && i.cell !== '0');
	const mean = (f: (i: RecentIncident) => number) => located.reduce((a, i) => a + f(i), 0) / Math.max(located.length, 1);
	return {
		kind: 'surge',
		category: s.category,
		cells: [],
		incidents,
		count: s.count,
		expected: s.expected,
		score: s.score,
		windowH: s.windowH,
		startedAt: incidents[0]?.createdAt ?? now,
		district: s.district,
		districts: [...new Set(incidents.map((i) => i.district))].sort(),
		center: located.length ? { lat: mean((i) => i.lat), lon: mean((i) => i.lon) } : { lat: 0, lon: 0 },
		// an area-wide surge has no one place: the UI names its district or the city
		place: '',
		growing: incidents.filter((i) => i.createdAt > now - HOUR).length >= 2
	};
}

/** Surges at or above the threshold, after the city/district rule above. */
export function detectSurges(
	now: number,
	incidents: readonly RecentIncident[],
	baseline: Baseline,
	p: HotspotParams,
	threshold: number,
	districts: readonly string[],
	locals: readonly DetectedHotspot[],
	groups?: ReadonlyMap<string, string>
): DetectedHotspot[] {
	const inLocal = new Set(locals.flatMap((h) => h.incidents.map((i) => `${h.category}|${i.id}`)));
	const exclude = new Set(incidents.filter((i) => inLocal.has(`${i.category}|${i.id}`)).map((i) => i.id));
	const all = surgeScores(now, incidents, baseline, p, districts, groups, exclude);
	const flagged = all.filter((s) => s.score >= threshold);
	const out: DetectedHotspot[] = [];
	for (const category of new Set(flagged.map((s) => s.category))) {
		const city = flagged.find((s) => s.category === category && s.district === null);
		const own = flagged.filter((s) => s.category === category && s.district !== null);
		// two districts at once are the city's surge, whether or not the city's own score passes yet
		const cityAny = city ?? all.find((s) => s.category === category && s.district === null);
		if (cityAny && own.length >= 2) {
			out.push(toDetected(now, cityAny));
			continue;
		}
		if (city && own.length === 1) {
			// the city is surging beyond that one district too: the city's surge, which explains the district's
			const without = new Set([...exclude, ...own[0]!.incidents.map((i) => i.id)]);
			const rest = surgeScores(now, incidents.filter((i) => i.category === category), baseline, p, [], groups, without);
			const c = rest.find((s) => s.district === null);
			out.push(toDetected(now, c && c.score >= threshold ? city : own[0]!));
		} else if (city) out.push(toDetected(now, city));
		else for (const s of own) out.push(toDetected(now, s));
	}
	return out.sort((a, b) => b.score - a.score);
}

/**
 * Drops the local hotspots a surge explains: same category, in the surge's area (any district for the
 * city), and no longer anomalous at the surge's rate: its expectation scaled by the surge's q = C/B
 * scores below the local threshold. Posts of a snowed-in city clumping by chance go; a building's burst
 * that is far denser than the surge around it stays.
 */
export function suppressExplained(locals: readonly DetectedHotspot[], surges: readonly DetectedHotspot[], localThreshold: number): DetectedHotspot[] {
	return locals.filter(
		(h) =>
			!surges.some(
				(s) =>
					s.category === h.category &&
					(s.district === null || s.district === h.district || h.districts.includes(s.district)) &&
					ebpScore(h.count, h.expected * Math.max(1, s.count / Math.max(s.expected, 1e-9))) < localThreshold
			)
	);
}
