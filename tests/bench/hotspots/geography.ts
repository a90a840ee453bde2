/**
 * Where the scenario generator puts people: houses drawn inside the city pack's district polygons (the
 * product's input, read here from the GeoJSON file itself), clumped around a few neighbourhood centres
 * per district so some places are busy and most are quiet. Streets and house numbers are invented.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Random } from './random.ts';

export interface House {
	district: string;
	lat: number;
	lon: number;
	address: string;
	/** Relative weight of posts from this house. */
	weight: number;
	/** Index of its neighbourhood (houses of one neighbourhood form its streets). */
	hood: number;
}

type Ring = [number, number][];

interface DistrictShape {
	code: string;
	rings: Ring[];
	bbox: { s: number; w: number; n: number; e: number };
	population: number;
}

function inRing(ring: Ring, lon: number, lat: number): boolean {
	let inside = false;
	for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
		const [xi, yi] = ring[i]!;
		const [xj, yj] = ring[j]!;
		if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
	}
	return inside;
}

export function loadDistricts(cityDir: string): DistrictShape[] {
	const geo = JSON.parse(fs.readFileSync(path.join(cityDir, 'districts.geojson'), 'utf8')) as {
		features: { properties: { code: string }; geometry: { type: string; coordinates: unknown } }[];
	};
	const city = JSON.parse(fs.readFileSync(path.join(cityDir, 'city.json'), 'utf8')) as { districts: { code: string; population?: number }[] };
	return geo.features.map((f) => {
		const polys = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Ring[][];
		const rings = polys.map((p) => p[0]!);
		const pts = rings.flat();
		return {
			code: f.properties.code,
			rings,
			bbox: { s: Math.min(...pts.map((p) => p[1])), n: Math.max(...pts.map((p) => p[1])), w: Math.min(...pts.map((p) => p[0])), e: Math.max(...pts.map((p) => p[0])) },
			population: city.districts.find((d) => d.code === f.properties.code)?.population ?? 100_000
		};
	});
}

const M_LAT = 1 / 111_200;

export function insideDistrict(d: DistrictShape, lat: number, lon: number): boolean {
	return d.rings.some((r) => inRing(r, lon, lat));
}

/** A point of the district: uniform in its polygon. */
export function pointIn(d: DistrictShape, rng: Random): { lat: number; lon: number } {
	for (;;) {
		const lat = d.bbox.s + rng.next() * (d.bbox.n - d.bbox.s);
		const lon = d.bbox.w + rng.next() * (d.bbox.e - d.bbox.w);
		if (insideDistrict(d, lat, lon)) return { lat, lon };
	}
}

/** Moves a point by (north, east) metres. */
export function offset(p: { lat: number; lon: number }, northM: number, eastM: number): { lat: number; lon: number } {
	return { lat: p.lat + northM * M_LAT, lon: p.lon + (eastM * M_LAT) / Math.cos((p.lat * Math.PI) / 180) };
}

/** `perDistrict` houses a district per 100 000 residents, around 8 neighbourhood centres each. */
export function buildHouses(districts: readonly DistrictShape[], rng: Random, housesPer100k: number): House[] {
	const houses: House[] = [];
	let hood = 0;
	for (const d of districts) {
		const centres = Array.from({ length: 8 }, () => ({ at: pointIn(d, rng), spreadM: 300 + rng.next() * 900, pull: rng.gamma(1.5) }));
		const n = Math.round((d.population / 100_000) * housesPer100k);
		for (let k = 0; k < n; k++) {
			const c = rng.pick(centres);
			let p = offset(c.at, rng.normal() * c.spreadM, rng.normal() * c.spreadM);
			if (!insideDistrict(d, p.lat, p.lon)) p = pointIn(d, rng);
			const street = `ул. Проверочная-${hood + centres.indexOf(c)}`;
			houses.push({ district: d.code, ...p, address: `${street}, ${1 + rng.int(180)}`, weight: c.pull * rng.gamma(0.7), hood: hood + centres.indexOf(c) });
		}
		hood += centres.length;
	}
	return houses;
}
