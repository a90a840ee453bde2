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

function union(a: Bounds, b: Bounds): Bounds {
	return [
		[Math.min(a[0][0], b[0][0]), Math.min(a[0][1], b[0][1])],
		[Math.max(a[1][0], b[1][0]), Math.max(a[1][1], b[1][1])]
	];
}

/**
 * The bounds to show: one district in focus, or all district polygons (the city's bbox also holds outlying
 * settlements and would leave the districts small); the bbox only when there are no polygons.
 */
export function focusBounds(boundaries: DistrictBoundaries, bbox: BBox, focus: string | null): Bounds {
	const features = focus ? boundaries.features.filter((x) => x.properties.code === focus) : boundaries.features;
	let out: Bounds | null = null;
	for (const f of features) {
		const b = featureBounds(f);
		if (b) out = out ? union(out, b) : b;
	}
	return out ?? (focus ? focusBounds(boundaries, bbox, null) : bboxBounds(bbox));
}
