/**
 * Chronic places on a plain SVG map of the city (or one district): district outlines from the city pack
 * and a numbered circle per place, sized by its count. SVG, not Leaflet: the same picture serves the wall
 * scene, the tablet and the printed report, offline and sharp.
 */
import type { DistrictBoundaries, DistrictFeature } from '../contract/city';
import type { ChronicPlace } from '../contract/places';
import { projector, ringsOf, type LonLat } from '../map/projection';

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

