/**
 * Keeps hotspots alive across runs so each gets one stable id and a clean alert history:
 * - opened: a detection that matches no open hotspot (same kind and category; for a local one a shared
 *   incident or a cell in the same or an adjacent cell, for a surge the same area). Its id derives from the category and its earliest incident, so a
 *   restart that sees the same burst names it the same.
 * - escalated: a matched hotspot whose count grew by `escalateBy` since its last alert.
 * - closed: an open hotspot not detected for `closeAfterMin` minutes (a surge: `surgeCloseAfterMin`).
 * Pure state machine: time comes in as an argument.
 */
import type { Hotspot, HotspotAlert } from '../../../src/lib/contract/snapshot.ts';
import type { DetectedHotspot } from './merge.ts';
import { disk } from './detect.ts';
import type { HotspotParams } from './params.ts';

export interface TrackedHotspot {
	hotspot: Hotspot;
	/** Districts its incidents fall in: a district scope sees every hotspot touching it. */
	districts: string[];
	incidentIds: Set<string>;
	lastSeen: number;
	alertedCount: number;
}

/** An alert with the districts it concerns (its incidents' districts), for routing to scopes. */
export interface ScopedAlert {
	alert: HotspotAlert;
	districts: string[];
}

function hash(s: string): string {
	// FNV-1a, 32 bit: short, stable ids; collisions only matter within one category and are harmless
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return (h >>> 0).toString(16).padStart(8, '0');
}

function toHotspot(id: string, d: DetectedHotspot, startedAt: number): Hotspot {
	const round = (x: number, k: number) => Math.round(x * 10 ** k) / 10 ** k;
	return {
		id,
		district: d.district,
		kind: d.kind,
		cells: d.cells,
		center: { lat: round(d.center.lat, 6), lon: round(d.center.lon, 6) },
		category: d.category,
		count: d.count,
		expected: round(d.expected, 3),
		score: round(d.score, 2),
		started_at: new Date(startedAt).toISOString(),
		growing: d.growing,
		...(d.place ? { place: d.place } : {}),
		window_h: d.windowH
	};
}

export class HotspotTracker {
	private readonly open = new Map<string, TrackedHotspot>();

	constructor(private readonly params: HotspotParams) {}

	current(): TrackedHotspot[] {
		return [...this.open.values()].sort((a, b) => b.hotspot.score - a.hotspot.score || a.hotspot.id.localeCompare(b.hotspot.id));
	}

	private matches(t: TrackedHotspot, d: DetectedHotspot): boolean {
		if (t.hotspot.category !== d.category || t.hotspot.kind !== d.kind) return false;
		// a surge is its category over its area; a district's surge that spreads to the city (or a city-wide
		// one that shrinks to one district) stays the same surge: one alert history, not two
		if (d.kind === 'surge') return t.hotspot.district === d.district || t.hotspot.district === null || d.district === null;
		if (d.incidents.some((i) => t.incidentIds.has(i.id))) return true;
		const near = new Set(t.hotspot.cells.flatMap((c) => disk(c, 1)));
		return d.cells.some((c) => near.has(c));
	}

	update(now: number, detected: readonly DetectedHotspot[]): ScopedAlert[] {
		const alerts: ScopedAlert[] = [];
		const seen = new Set<string>();
		for (const d of detected) {
			const t = [...this.open.values()].find((o) => !seen.has(o.hotspot.id) && this.matches(o, d));
			if (t) {
				seen.add(t.hotspot.id);
				const startedAt = Math.min(Date.parse(t.hotspot.started_at), d.startedAt);
				const wasCityWide = t.hotspot.kind === 'surge' && t.hotspot.district === null;
				t.hotspot = toHotspot(t.hotspot.id, d, startedAt);
				// once city-wide, a surge stays so until it closes
				if (wasCityWide) t.hotspot = { ...t.hotspot, district: null };
				t.districts = [...new Set([...t.districts, ...d.districts])].sort();
				for (const i of d.incidents) t.incidentIds.add(i.id);
				t.lastSeen = now;
				// a surge counts dozens: it escalates when it has grown by half since its last alert
				const step = d.kind === 'surge' ? Math.max(this.params.escalateBy, Math.ceil(t.alertedCount / 2)) : this.params.escalateBy;
				if (d.count >= t.alertedCount + step) {
					t.alertedCount = d.count;
					alerts.push({ alert: { kind: 'escalated', hotspot: t.hotspot }, districts: t.districts });
				}
				continue;
			}
			const first = d.incidents[0];
			const seed = d.kind === 'surge' ? `surge|${d.category}|${d.district ?? ''}|${first?.id ?? ''}` : `${d.category}|${first?.id ?? d.cells[0]}`;
			let id = `hs-${hash(seed)}`;
			while (this.open.has(id)) id = `hs-${hash(id)}`;
			const fresh: TrackedHotspot = {
				hotspot: toHotspot(id, d, d.startedAt),
				districts: d.districts,
				incidentIds: new Set(d.incidents.map((i) => i.id)),
				lastSeen: now,
				alertedCount: d.count
			};
			this.open.set(id, fresh);
			seen.add(id);
			alerts.push({ alert: { kind: 'opened', hotspot: fresh.hotspot }, districts: fresh.districts });
		}
		for (const [id, t] of this.open) {
			const closeAfter = t.hotspot.kind === 'surge' ? this.params.surgeCloseAfterMin : this.params.closeAfterMin;
			if (!seen.has(id) && now - t.lastSeen >= closeAfter * 60_000) {
				this.open.delete(id);
				alerts.push({ alert: { kind: 'closed', hotspot: { ...t.hotspot, growing: false } }, districts: t.districts });
			}
		}
		return alerts;
	}
}
