/**
 * Plain planar geometry on lon/lat rings (GeoJSON order: [lon, lat]). At city scale (tens of km) treating
 * degrees as a plane is exact enough for point-in-polygon; distances and areas use a local projection.
 */
import type { BBox, DistrictFeature } from '../../src/lib/contract/city.ts';

export type Ring = number[][];
export type PolygonCoords = Ring[];

const EARTH_RADIUS_M = 6_371_008.8;

/** Ray casting (even–odd). Points exactly on an edge may fall either way; neighbours share edges. */
export function pointInRing(lon: number, lat: number, ring: Ring): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const a = ring[i]!;
		const b = ring[j]!;
		const ax = a[0]!, ay = a[1]!, bx = b[0]!, by = b[1]!;
		if (ay > lat !== by > lat && lon < ((bx - ax) * (lat - ay)) / (by - ay) + ax) inside = !inside;
	}
	return inside;
}

/** Inside the outer ring and outside every hole. */
export function pointInPolygon(lon: number, lat: number, polygon: PolygonCoords): boolean {
	const [outer, ...holes] = polygon;
	if (!outer || !pointInRing(lon, lat, outer)) return false;
	return !holes.some((h) => pointInRing(lon, lat, h));
}

export function polygonsOf(geometry: DistrictFeature['geometry']): PolygonCoords[] {
	return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function pointInGeometry(lon: number, lat: number, geometry: DistrictFeature['geometry']): boolean {
	return polygonsOf(geometry).some((p) => pointInPolygon(lon, lat, p));
}

export function bboxOfRings(rings: Iterable<Ring>): BBox {
	let south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
	for (const ring of rings) {
		for (const [lon, lat] of ring) {
			if (lon === undefined || lat === undefined) continue;
			if (lat < south) south = lat;
			if (lat > north) north = lat;
			if (lon < west) west = lon;
			if (lon > east) east = lon;
		}
	}
	return { south, west, north, east };
}

export function inBBox(lat: number, lon: number, b: BBox): boolean {
	return lat >= b.south && lat <= b.north && lon >= b.west && lon <= b.east;
}

export function unionBBox(a: BBox, b: BBox): BBox {
	return {
		south: Math.min(a.south, b.south),
		west: Math.min(a.west, b.west),
		north: Math.max(a.north, b.north),
		east: Math.max(a.east, b.east)
	};
}

/** Great-circle distance in metres. */
export function distanceM(lat1: number, lon1: number, lat2: number, lon2: number): number {
	const toRad = Math.PI / 180;
	const dLat = (lat2 - lat1) * toRad;
	const dLon = (lon2 - lon1) * toRad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * An equirectangular projection to kilometres around a reference point: good to well under 1% over a
 * city, and invertible, which is what area fitting and point offsets need.
 */
export interface LocalProjection {
	toKm(lon: number, lat: number): [number, number];
	toLonLat(x: number, y: number): [number, number];
}

export function localProjection(lat0: number, lon0: number): LocalProjection {
	const kmPerDegLat = (Math.PI / 180) * (EARTH_RADIUS_M / 1000);
	const kmPerDegLon = kmPerDegLat * Math.cos((lat0 * Math.PI) / 180);
	return {
		toKm: (lon, lat) => [(lon - lon0) * kmPerDegLon, (lat - lat0) * kmPerDegLat],
		toLonLat: (x, y) => [lon0 + x / kmPerDegLon, lat0 + y / kmPerDegLat]
	};
}

/** Signed shoelace area of a planar ring (positive when counter-clockwise). */
export function signedArea(ring: Ring): number {
	let s = 0;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		s += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
	}
	return s / 2;
}

/** Area of a lon/lat polygon in km² (outer minus holes) through the local projection. */
export function polygonAreaKm2(polygon: PolygonCoords, proj: LocalProjection): number {
	const areas = polygon.map((ring) => Math.abs(signedArea(ring.map(([lon, lat]) => proj.toKm(lon!, lat!)))));
	return areas.reduce((sum, a, i) => (i === 0 ? a : sum - a), 0);
}
