/**
 * Hotspot H3 cells as polygons. Loaded by the map only when there are hotspots: h3-js is the largest
 * dependency after ECharts.
 */
import { cellToBoundary, isValidCell } from 'h3-js';
import type { Hotspot } from '../contract/snapshot';

export interface HotspotShape {
	hotspot: Hotspot;
	/** One ring per cell, [lat, lon] pairs. */
	rings: [number, number][][];
}

/** At most this many cells are drawn in total, strongest hotspots first. */
export const MAX_CELLS = 2000;

export function hotspotShapes(hotspots: readonly Hotspot[], maxCells = MAX_CELLS): HotspotShape[] {
	const out: HotspotShape[] = [];
	let budget = maxCells;
	for (const h of [...hotspots].sort((a, b) => b.score - a.score)) {
		if (budget <= 0) break;
		const rings: [number, number][][] = [];
		for (const cell of h.cells) {
			if (budget <= 0) break;
			if (!isValidCell(cell)) continue;
			rings.push(cellToBoundary(cell) as [number, number][]);
			budget--;
		}
		out.push({ hotspot: h, rings });
	}
	return out;
}
