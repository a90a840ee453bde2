/** Map styling as pure functions of data: district fill by tension, hotspot cells, incident pulses. */
import type { DistrictStats, Hotspot } from '../contract/snapshot';

export interface TensionBand {
	/** Lower bound, inclusive (tension 1 = the district's usual level). */
	from: number;
	color: string;
	label: string;
}

/** From calm to critical; readable on a dark wall and for the common red–green colour blindness (blue→red). */
export const TENSION_BANDS: readonly TensionBand[] = [
	{ from: 0, color: '#2f6db5', label: 'ниже обычного' },
	{ from: 0.8, color: '#3f9c8a', label: 'обычно' },
	{ from: 1.25, color: '#d9b233', label: 'выше обычного' },
	{ from: 1.6, color: '#e57a2e', label: 'высокая' },
	{ from: 2.2, color: '#e0403a', label: 'критическая' }
];

export const NO_DATA_COLOR = '#4a5566';

export function tensionColor(tension: number | null | undefined): string {
	if (tension === null || tension === undefined || !Number.isFinite(tension)) return NO_DATA_COLOR;
	let color = TENSION_BANDS[0]!.color;
	for (const b of TENSION_BANDS) if (tension >= b.from) color = b.color;
	return color;
}

export interface LegendItem {
	color: string;
	label: string;
}

/** Legend rows, with the ranges written out: «1,25–1,6 · выше обычного». */
export function tensionLegend(): LegendItem[] {
	const fmt = (n: number) => String(n).replace('.', ',');
	return TENSION_BANDS.map((b, i) => {
		const next = TENSION_BANDS[i + 1];
		const range = next ? (b.from === 0 ? `< ${fmt(next.from)}` : `${fmt(b.from)}–${fmt(next.from)}`) : `≥ ${fmt(b.from)}`;
		return { color: b.color, label: `${range} · ${b.label}` };
	});
}

export interface PathStyle {
	color: string;
	weight: number;
	opacity: number;
	fillColor: string;
	fillOpacity: number;
	/** Dashes of the outline (Leaflet's SVG dash array); solid when absent. */
	dashArray?: string;
}

/** A district under a surge: a hot dashed outline and a stronger fill over its tension colour. */
export const SURGE_OUTLINE = '#ff3b30';

/** A district polygon: fill by tension, a thicker outline for the district in focus. */
export function districtStyle(stats: DistrictStats | undefined, focused: boolean, surge = false): PathStyle {
	if (surge) return { color: SURGE_OUTLINE, weight: focused ? 5 : 4, opacity: 1, fillColor: SURGE_OUTLINE, fillOpacity: 0.55, dashArray: '10 6' };
	return {
		color: focused ? '#ffffff' : '#c9d4e3',
		weight: focused ? 4 : 1.5,
		opacity: 0.9,
		fillColor: tensionColor(stats?.tension),
		fillOpacity: focused ? 0.6 : 0.45
	};
}

/** Short legend rows for a tablet: the band names only, the ranges go in a tooltip. */
export function compactTensionLegend(): (LegendItem & { range: string })[] {
	return tensionLegend().map((item, i) => ({ color: item.color, label: TENSION_BANDS[i]!.label, range: item.label }));
}

/**
 * Hotspot cells: hot red, brighter while growing. `weight` is the outline in pixels: a res-9 cell is ~350 m
 * across, a few pixels at city zoom, so a tablet draws a thicker outline to keep it visible.
 */
export function hotspotStyle(h: Hotspot, weight = 1.5): PathStyle {
	return {
		color: h.growing ? '#ffdd55' : '#ff8a65',
		weight,
		opacity: 1,
		fillColor: '#ff3b30',
		fillOpacity: h.growing ? 0.75 : 0.55
	};
}

export const PULSE_MS = 3000;

/** A pulse `age` ms after the incident arrived: an expanding ring that fades; null once it is over. */
export function pulseFrame(ageMs: number, severity: number, scale = 1): { radius: number; opacity: number } | null {
	if (ageMs < 0 || ageMs >= PULSE_MS) return null;
	const t = ageMs / PULSE_MS;
	const base = (6 + Math.min(5, Math.max(1, severity)) * 2) * scale;
	return { radius: base + base * 2.5 * t, opacity: 1 - t };
}

export function pulseColor(severity: number): string {
	return severity >= 4 ? '#ff4d4d' : '#7fd3ff';
}
