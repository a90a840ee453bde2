/**
 * The detection core: a pure function of the incidents of the last 24 h and a baseline. Every
 * res-9 cell near a recent incident is the centre of a zone (the cell and its ring-1 neighbours,
 * about a 500 m disc); each zone is scored per category over windows ending now, and kept when
 * its count, distinct addresses and EBP score pass the thresholds. Neighbouring flagged zones are
 * merged afterwards (merge.ts).
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

function distinctAddresses(list: readonly RecentIncident[]): number {
	return new Set(list.map((i) => i.address.trim().toLowerCase() || `#${i.id}`)).size;
}

/** Flagged zones (best window per zone and category), strongest first. */
export function scoreZones(now: number, incidents: readonly RecentIncident[], baseline: Baseline, p: HotspotParams): FlaggedZone[] {
	const maxWindow = Math.max(...p.windowsH) * HOUR;
	const byCategory = new Map<string, RecentIncident[]>();
	for (const i of incidents) {
		if (i.createdAt > now || i.createdAt <= now - maxWindow) continue;
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
				if (inWindow.length < p.minCount || distinctAddresses(inWindow) < p.minAddresses) continue;
				const expected = baseline.expected(disk(center, p.ring), category, from, now);
				const score = ebpScore(inWindow.length, expected);
				if (score >= p.threshold && (!best || score > best.score)) {
					best = { center, category, windowH: w, count: inWindow.length, expected, score, incidents: inWindow };
				}
			}
			if (best) flagged.push(best);
		}
	}
	return flagged.sort((a, b) => b.score - a.score);
}
