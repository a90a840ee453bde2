/** How a map behaves: the wall's still city view, or a district tablet's map a finger can move. */

export interface WallMapOptions {
	/** Drag and pinch-zoom (tablets); the wall stays still. */
	interactive: boolean;
	/** Pixels kept free around the fitted polygons, so an outline never touches the edge. */
	padding: number;
	/** Outline width of hotspot cells, px. */
	hotspotWeight: number;
	/**
	 * A ring of this diameter (px) around every hotspot, 0 for none: a res-9 cell is ~350 m, a few pixels at
	 * district zoom, and a hotspot must still be seen at a glance.
	 */
	hotspotRingPx: number;
	/** Tablet: only the district in focus is named (the neighbours' names would cover its edges). */
	tablet: boolean;
}

export const WALL_MAP: WallMapOptions = { interactive: false, padding: 12, hotspotWeight: 1.5, hotspotRingPx: 0, tablet: false };
export const TABLET_MAP: WallMapOptions = { interactive: true, padding: 24, hotspotWeight: 3, hotspotRingPx: 26, tablet: true };
