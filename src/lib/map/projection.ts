/** Flat SVG projection of a city's shapes: the report's and the repeats scene's maps share it. */
import type { DistrictFeature } from '../contract/city';

export type LonLat = [number, number];

/** The outer and inner rings of a district, Polygon or MultiPolygon alike. */
export function ringsOf(f: DistrictFeature): number[][][] {
	return f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat();
}

/** Equirectangular projection scaled by cos(latitude): true shapes at a city's size. No points: the centre. */
export function projector(points: LonLat[], width: number, height: number, pad: number): (lon: number, lat: number) => [number, number] {
	if (points.length === 0) return () => [width / 2, height / 2];
	const lats = points.map((p) => p[1]);
	const lons = points.map((p) => p[0]);
	const [s, n, w, e] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
	const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
	const spanX = Math.max((e - w) * k, 1e-9);
	const spanY = Math.max(n - s, 1e-9);
	const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
	const offX = (width - spanX * scale) / 2;
	const offY = (height - spanY * scale) / 2;
	return (lon, lat) => [Math.round((offX + (lon - w) * k * scale) * 10) / 10, Math.round((offY + (n - lat) * scale) * 10) / 10];
}
