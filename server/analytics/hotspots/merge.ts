/**
 * Neighbouring flagged zones of one category become one hotspot: zones are joined when they share an
 * incident or when their incidents lie in the same or adjacent cells. District borders play no part;
 * a hotspot's `district` is the one holding most of its incidents.
 */
import { cellToLatLng } from 'h3-js';
import type { FlaggedZone, RecentIncident } from './detect.ts';
import { disk } from './detect.ts';
import type { HotspotKind } from '../../../src/lib/contract/snapshot.ts';

export interface DetectedHotspot {
	kind: HotspotKind;
	category: string;
	/** Cells holding its incidents, sorted. */
	cells: string[];
	/** Every incident of the merged zones. */
	incidents: RecentIncident[];
	/** Count, expected and score of its strongest zone and window. */
	count: number;
	expected: number;
	score: number;
	windowH: number;
	startedAt: number;
	/** Null only for a city-wide surge. */
	district: string | null;
	districts: string[];
	center: { lat: number; lon: number };
	place: string;
	/** At least two of its incidents came in the last hour. */
	growing: boolean;
}

function find(parent: number[], i: number): number {
	while (parent[i] !== i) {
		parent[i] = parent[parent[i]!]!;
		i = parent[i]!;
	}
	return i;
}

export function mostCommon(values: readonly string[]): string {
	const counts = new Map<string, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	let best = '';
	let n = 0;
	for (const [v, c] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) {
		if (c > n) [best, n] = [v, c];
	}
	return best;
}

export function mergeZones(now: number, zones: readonly FlaggedZone[]): DetectedHotspot[] {
	const parent = zones.map((_, i) => i);
	const owner = new Map<string, number>(); // "category|cell" or "category#id" → first zone that holds it
	zones.forEach((z, idx) => {
		const keys = new Set<string>();
		for (const i of z.incidents) {
			keys.add(`${z.category}#${i.id}`);
			for (const c of disk(i.cell, 1)) keys.add(`${z.category}|${c}`);
		}
		for (const k of keys) {
			const o = owner.get(k);
			if (o === undefined) owner.set(k, idx);
			else parent[find(parent, idx)] = find(parent, o);
		}
	});
	const groups = new Map<number, FlaggedZone[]>();
	zones.forEach((z, idx) => {
		const root = find(parent, idx);
		groups.set(root, [...(groups.get(root) ?? []), z]);
	});
	const out: DetectedHotspot[] = [];
	for (const group of groups.values()) {
		const best = group.reduce((a, b) => (b.score > a.score ? b : a));
		const byId = new Map<string, RecentIncident>();
		for (const z of group) for (const i of z.incidents) byId.set(i.id, i);
		const incidents = [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
		const cells = [...new Set(incidents.map((i) => i.cell))].sort();
		const located = incidents.filter((i) => Number.isFinite(i.lat) && Number.isFinite(i.lon));
		const center = located.length
			? { lat: located.reduce((s, i) => s + i.lat, 0) / located.length, lon: located.reduce((s, i) => s + i.lon, 0) / located.length }
			: (([lat, lon]) => ({ lat, lon }))(cellToLatLng(cells[0]!));
		out.push({
			kind: 'local',
			category: best.category,
			cells,
			incidents,
			count: best.count,
			expected: best.expected,
			score: best.score,
			windowH: best.windowH,
			startedAt: Math.min(...best.incidents.map((i) => i.createdAt)),
			district: mostCommon(incidents.map((i) => i.district)),
			districts: [...new Set(incidents.map((i) => i.district))].sort(),
			center,
			place: mostCommon(incidents.map((i) => i.address.trim()).filter((a) => a.length > 0)),
			growing: incidents.filter((i) => i.createdAt > now - 3_600_000).length >= 2
		});
	}
	return out.sort((a, b) => b.score - a.score);
}
