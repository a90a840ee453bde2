/**
 * One detection pass, the same live, in the replay of the benchmark and in the calibration: group copies
 * into posts, scan local zones, merge them, scan surges, and drop the local hotspots a surge explains.
 */
import type { Baseline } from './baseline.ts';
import { scoreZones, type RecentIncident } from './detect.ts';
import { mergeZones, type DetectedHotspot } from './merge.ts';
import type { HotspotParams, Thresholds } from './params.ts';
import { groupPosts } from './posts.ts';
import { detectSurges, suppressExplained } from './surge.ts';

export function postGroupsOf(incidents: readonly RecentIncident[]): Map<string, string> {
	return groupPosts(
		incidents.map((i) => ({ id: i.id, category: i.category, createdAt: i.createdAt, text: i.text ?? '', url: i.url ?? '', author: i.author ?? '', address: i.address }))
	);
}

export function detectHotspots(
	now: number,
	recent: readonly RecentIncident[],
	baseline: Baseline,
	p: HotspotParams,
	thresholds: Thresholds,
	districts: readonly string[],
	/** Post groups computed beforehand (a replay groups its whole stream once); else from `recent`. */
	groups: ReadonlyMap<string, string> = postGroupsOf(recent)
): DetectedHotspot[] {
	const locals = mergeZones(now, scoreZones(now, recent, baseline, p, thresholds.local, groups));
	const surges = detectSurges(now, recent, baseline, p, thresholds.surge, districts, locals, groups);
	return [...surges, ...suppressExplained(locals, surges, thresholds.local)];
}
