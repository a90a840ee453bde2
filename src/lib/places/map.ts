/**
 * Chronic places on a plain SVG map of the city (or one district): district outlines from the city pack
 * and a numbered circle per place, sized by its count. SVG, not Leaflet: the same picture serves the wall
 * scene, the tablet and the printed report, offline and sharp.
 */
import type { DistrictBoundaries, DistrictFeature } from '../contract/city';
import type { ChronicPlace } from '../contract/places';

export interface PlacesMapDistrict {
	code: string;
	d: string;
	focus: boolean;
}

export interface PlacesMapPoint {
	key: string;
	rank: number;
	x: number;
	y: number;
	r: number;
}

export interface PlacesMap {
	width: number;
	height: number;
	districts: PlacesMapDistrict[];
	points: PlacesMapPoint[];
}

type LonLat = [number, number];

const ringsOf = (f: DistrictFeature): number[][][] => (f.geometry.type === 'Polygon' ? f.geometry.coordinates : f.geometry.coordinates.flat());

export function buildPlacesMap(
	boundaries: DistrictBoundaries,
	places: readonly ChronicPlace[],
	focus: string | null,
	size: { width: number; height: number } = { width: 600, height: 460 }
): PlacesMap {
	const framed = focus ? boundaries.features.filter((f) => f.properties.code === focus) : boundaries.features;
	const points = (framed.length ? framed : boundaries.features).flatMap((f) => ringsOf(f).flat() as LonLat[]);
	const located = places.map((p, i) => ({ p, rank: i + 1 })).filter(({ p }) => p.lat !== null && p.lon !== null);
	const project = projector(points.length ? points : located.map(({ p }) => [p.lon!, p.lat!] as LonLat), size.width, size.height, 14);
	const max = Math.max(1, ...places.map((p) => p.count));
	return {
		width: size.width,
		height: size.height,
		districts: boundaries.features.map((f) => ({
			code: f.properties.code,
			focus: focus === null || f.properties.code === focus,
			d: ringsOf(f)
				.map((ring) => ring.map(([lon, lat], i) => `${i === 0 ? 'M' : 'L'}${project(lon!, lat!).join(' ')}`).join('') + 'Z')
				.join('')
		})),
		points: located.map(({ p, rank }) => {
			const [x, y] = project(p.lon!, p.lat!);
			return { key: `${p.place_key}|${p.category}`, rank, x, y, r: Math.round((6 + 10 * Math.sqrt(p.count / max)) * 10) / 10 };
		})
	};
}

/** Equirectangular scaled by cos(latitude): true shapes at a city's size. */
function projector(points: LonLat[], width: number, height: number, pad: number) {
	if (points.length === 0) return () => [width / 2, height / 2] as [number, number];
	const lats = points.map((p) => p[1]);
	const lons = points.map((p) => p[0]);
	const [s, n, w, e] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
	const k = Math.cos((((s + n) / 2) * Math.PI) / 180);
	const spanX = Math.max((e - w) * k, 1e-9);
	const spanY = Math.max(n - s, 1e-9);
	const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
	const offX = (width - spanX * scale) / 2;
	const offY = (height - spanY * scale) / 2;
	return (lon: number, lat: number): [number, number] => [
		Math.round((offX + (lon - w) * k * scale) * 10) / 10,
		Math.round((offY + (n - lat) * scale) * 10) / 10
	];
}
