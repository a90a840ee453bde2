/**
 * The detection core: a pure function of the incidents of the last 24 h and a baseline. Every
 * res-9 cell near a recent incident is the centre of a zone (the cell and its ring-1 neighbours,
 * about a 500 m disc); each zone is scored per category over windows ending now, and kept when
 * its count of distinct posts (posts.ts: copies, reposts and one author's series count once) and its
 * EBP score pass the calibrated threshold. Neighbouring flagged zones are merged afterwards (merge.ts).
 * Incidents without a cell (no coordinates) take part in surges only (surge.ts).
 */
import { gridDisk } from 'h3-js';
import type { Baseline } from './baseline.ts';
import type { HotspotParams } from './params.ts';
import { ebpScore } from './score.ts';

export interface RecentIncident {
	id: string;
	cell: string;
	category: string;
	address: string;
	district: string;
	/** Epoch ms. */
	createdAt: number;
	lat: number;
	lon: number;
	text?: string;
	url?: string;
	/** Salted author hash, '' or absent when unknown. */
	author?: string;
}

export interface FlaggedZone {
	center: string;
	category: string;
	windowH: number;
	count: number;
	expected: number;
	score: number;
	incidents: RecentIncident[];
}

const HOUR = 3_600_000;
const diskCache = new Map<string, string[]>();

export function disk(cell: string, k: number): string[] {
	const key = `${cell}:${k}`;
	let d = diskCache.get(key);
	if (!d) {
		d = gridDisk(cell, k);
		if (diskCache.size > 200_000) diskCache.clear();
		diskCache.set(key, d);
	}
	return d;
}

/** Distinct posts among the incidents: each group of copies (posts.ts) counts once. */
export function distinctPosts(list: readonly RecentIncident[], groups: ReadonlyMap<string, string> | undefined): number {
	if (!groups) return list.length;
	return new Set(list.map((i) => groups.get(i.id) ?? i.id)).size;
}

export const located = (i: RecentIncident) => i.cell !== '' && i.cell !== '0';

/** Flagged zones (best window per zone and category), strongest first. */
export function scoreZones(
	now: number,
	incidents: readonly RecentIncident[],
	baseline: Baseline,
	p: HotspotParams,
	threshold: number,
	groups?: ReadonlyMap<string, string>
): FlaggedZone[] {
	const maxWindow = Math.max(...p.windowsH) * HOUR;
	const byCategory = new Map<string, RecentIncident[]>();
	for (const i of incidents) {
		if (!located(i) || i.createdAt > now || i.createdAt <= now - maxWindow) continue;
		const list = byCategory.get(i.category) ?? [];
		list.push(i);
		byCategory.set(i.category, list);
	}
	const flagged: FlaggedZone[] = [];
	for (const [category, list] of byCategory) {
		if (list.length < p.minCount) continue;
		// incidents that fall in each candidate zone: a zone centred on c holds the incidents of disk(c)
		const inZone = new Map<string, RecentIncident[]>();
		for (const i of list) {
			for (const centre of disk(i.cell, p.ring)) {
				const z = inZone.get(centre) ?? [];
				z.push(i);
				inZone.set(centre, z);
			}
		}
		for (const [center, zoneIncidents] of inZone) {
			if (zoneIncidents.length < p.minCount) continue;
			let best: FlaggedZone | null = null;
			for (const w of p.windowsH) {
				const from = now - w * HOUR;
				const inWindow = zoneIncidents.filter((i) => i.createdAt > from);
				if (inWindow.length < p.minCount) continue;
				const count = distinctPosts(inWindow, groups);
				if (count < p.minCount) continue;
				const expected = baseline.expected(disk(center, p.ring), category, from, now);
				const score = ebpScore(count, expected);
				if (score >= threshold && (!best || score > best.score)) {
					best = { center, category, windowH: w, count, expected, score, incidents: inWindow };
				}
			}
			if (best) flagged.push(best);
		}
	}
	return flagged.sort((a, b) => b.score - a.score);
}
