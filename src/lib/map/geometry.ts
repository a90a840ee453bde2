/** Bounds of the city and its districts from the city pack's polygons (no Leaflet here). */
import type { BBox, DistrictBoundaries, DistrictFeature } from '../contract/city';

export type LatLngPair = [number, number];
export type Bounds = [LatLngPair, LatLngPair];

function rings(f: DistrictFeature): number[][][] {
	return f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
}

/** South-west and north-east corners, as Leaflet wants them ([lat, lon]). */
export function featureBounds(f: DistrictFeature): Bounds | null {
	let s = Infinity, w = Infinity, n = -Infinity, e = -Infinity;
	for (const ring of rings(f)) {
		for (const [lon, lat] of ring) {
			if (lon === undefined || lat === undefined) continue;
			s = Math.min(s, lat);
			n = Math.max(n, lat);
			w = Math.min(w, lon);
			e = Math.max(e, lon);
		}
	}
	return Number.isFinite(s) ? [[s, w], [n, e]] : null;
}

export function bboxBounds(b: BBox): Bounds {
	return [[b.south, b.west], [b.north, b.east]];
}

/** The bounds to show: one district in focus, or the whole city. */
export function focusBounds(boundaries: DistrictBoundaries, bbox: BBox, focus: string | null): Bounds {
	if (focus) {
		const f = boundaries.features.find((x) => x.properties.code === focus);
		const b = f && featureBounds(f);
		if (b) return b;
	}
	return bboxBounds(bbox);
}
