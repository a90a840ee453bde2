/**
 * Where simulated incidents happen. No street geometry is available offline, so each real street of a
 * district gets a schematic axis: a straight segment through the district's populated core, chosen
 * deterministically from the street's name. House numbers run along the axis, so the same street and
 * nearby numbers land near each other (which is what a hotspot looks like). Every point is checked with
 * the pack's own point-in-polygon, so it lies inside its district.
 */
import type { CityPack } from '../city/pack.ts';
import { localProjection, type LocalProjection } from '../city/geo.ts';
import { hash32, Rng } from './random.ts';

export interface Location {
	lat: number;
	lon: number;
	address: string;
	street: string | null;
	house: number | null;
}

interface StreetAxis {
	name: string;
	/** Centre of the axis in local km, unit direction, half-length in km. */
	x: number;
	y: number;
	dx: number;
	dy: number;
	half: number;
	maxHouse: number;
}

interface DistrictPlaces {
	code: string;
	streets: StreetAxis[];
	places: { name: string; lat: number; lon: number }[];
}

/** Spread of the populated core around a district's centre, km. */
const CORE_SIGMA_KM = 1.4;
/** Share of a district's incidents placed at its settlements (when it has any). */
const SETTLEMENT_SHARE = 0.12;

/** «улица Попова» → «ул. Попова», «Социалистический проспект» → «Социалистический пр-т». */
export function shortStreet(name: string): string {
	const rules: [RegExp, string][] = [
		[/^улица (.+)$/, 'ул. $1'],
		[/^(.+) улица$/, 'ул. $1'],
		[/^проспект (.+)$/, 'пр-т $1'],
		[/^(.+) проспект$/, '$1 пр-т'],
		[/^бульвар (.+)$/, 'б-р $1'],
		[/^площадь (.+)$/, 'пл. $1']
	];
	for (const [re, to] of rules) if (re.test(name)) return name.replace(re, to);
	return name;
}

export class CityPlaces {
	readonly proj: LocalProjection;
	private readonly districts = new Map<string, DistrictPlaces>();

	constructor(private readonly city: CityPack) {
		this.proj = localProjection(city.center.lat, city.center.lon);
		for (const d of city.details.values()) {
			const centre = d.center ?? city.center;
			const [cx, cy] = this.proj.toKm(centre.lon, centre.lat);
			const streets = d.streets.map((name) => this.axisFor(d.code, name, cx, cy));
			const places = d.places.filter((p) => city.districtAt(p.lat, p.lon) === d.code);
			this.districts.set(d.code, { code: d.code, streets, places });
		}
	}

	private axisFor(district: string, name: string, cx: number, cy: number): StreetAxis {
		const rng = new Rng(hash32(`${district}|${name}`));
		let x = cx, y = cy;
		for (let i = 0; i < 50; i++) {
			const tx = cx + rng.normal() * CORE_SIGMA_KM * 0.7;
			const ty = cy + rng.normal() * CORE_SIGMA_KM * 0.7;
			if (this.inside(district, tx, ty)) {
				x = tx;
				y = ty;
				break;
			}
		}
		const angle = rng.uniform(0, Math.PI);
		const half = rng.uniform(1.0, 2.5);
		return { name, x, y, dx: Math.cos(angle), dy: Math.sin(angle), half, maxHouse: Math.round(half * 2 * rng.uniform(40, 70)) };
	}

	private inside(district: string, x: number, y: number): boolean {
		const [lon, lat] = this.proj.toLonLat(x, y);
		return this.city.districtAt(lat, lon) === district;
	}

	streetsOf(district: string): readonly StreetAxis[] {
		return this.districts.get(district)?.streets ?? [];
	}

	/** A point on a street at a house number, with a little spread across the street. */
	private onStreet(rng: Rng, district: string, s: StreetAxis, house: number, spreadKm = 0.04): Location | null {
		const t = (house / s.maxHouse - 0.5) * 2 * s.half;
		const side = house % 2 === 0 ? 1 : -1; // even numbers on one side of the street
		const off = side * (0.03 + Math.abs(rng.normal()) * spreadKm);
		const x = s.x + s.dx * t - s.dy * off;
		const y = s.y + s.dy * t + s.dx * off;
		if (!this.inside(district, x, y)) return null;
		const [lon, lat] = this.proj.toLonLat(x, y);
		return { lat: round6(lat), lon: round6(lon), address: `${shortStreet(s.name)}, ${house}`, street: s.name, house };
	}

	/** A random location in a district: mostly along its streets, some in its settlements. */
	sample(rng: Rng, district: string): Location {
		const d = this.districts.get(district);
		if (!d) throw new Error(`no such district: ${district}`);
		if (d.places.length > 0 && rng.chance(SETTLEMENT_SHARE)) {
			const p = rng.pick(d.places);
			for (let i = 0; i < 30; i++) {
				const [x0, y0] = this.proj.toKm(p.lon, p.lat);
				const x = x0 + rng.normal() * 0.4;
				const y = y0 + rng.normal() * 0.4;
				if (!this.inside(district, x, y)) continue;
				const [lon, lat] = this.proj.toLonLat(x, y);
				return { lat: round6(lat), lon: round6(lon), address: p.name, street: null, house: null };
			}
		}
		for (let i = 0; i < 100; i++) {
			const s = rng.pick(d.streets);
			const loc = this.onStreet(rng, district, s, rng.int(1, s.maxHouse));
			if (loc) return loc;
		}
		// Unreachable with sane data: the district centre is inside the district.
		const c = this.city.details.get(district)?.center ?? this.city.center;
		return { lat: c.lat, lon: c.lon, address: '', street: null, house: null };
	}

	/**
	 * A location near a house on a street, within `radiusKm` of `center` (for injected clusters):
	 * neighbouring house numbers on the same street.
	 */
	near(rng: Rng, district: string, street: string, house: number, center: { lat: number; lon: number }, radiusKm: number): Location | null {
		const s = this.streetsOf(district).find((a) => a.name === street);
		if (!s) return null;
		const [cx, cy] = this.proj.toKm(center.lon, center.lat);
		const span = Math.max(1, Math.round((radiusKm * 0.7 * s.maxHouse) / (2 * s.half)));
		for (let i = 0; i < 100; i++) {
			const h = Math.min(s.maxHouse, Math.max(1, house + rng.int(-span, span)));
			const loc = this.onStreet(rng, district, s, h, 0.02);
			if (!loc) continue;
			const [x, y] = this.proj.toKm(loc.lon, loc.lat);
			if (Math.hypot(x - cx, y - cy) <= radiusKm) return loc;
		}
		return null;
	}
}

function round6(v: number): number {
	return Math.round(v * 1e6) / 1e6;
}
