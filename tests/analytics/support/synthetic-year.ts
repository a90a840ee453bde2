/**
 * Overdispersed control years for the detection benchmark, made with the simulator's own parts
 * (server/simulate: incident factory, street places, rhythm profile): a background year as a
 * Poisson process over local hours whose district × category rates have bad days, which the
 * simulator's `generateHistory` does not make.
 */
import { latLngToCell } from 'h3-js';
import type { CityPack } from '../../../server/city/pack.ts';
import { IncidentFactory } from '../../../server/simulate/generator.ts';
import { expectedPerHour } from '../../../server/simulate/profile.ts';
import { Rng } from '../../../server/simulate/random.ts';
import type { RecentIncident } from '../../../server/analytics/hotspots/detect.ts';

const HOUR = 3_600_000;
const OFFSET_MS = 7 * HOUR; // Barnaul: UTC+7 all year

/**
 * `overdispersion` > 0 makes a harsher null than Poisson: every local day each district × category
 * gets a Gamma(1/overdispersion) rate multiplier of mean 1 (bad days happen), drawn by thinning
 * a stream four times as dense.
 */
export function backgroundYear(city: CityPack, seed: number, start: number, end: number, overdispersion = 0): RecentIncident[] {
	const factory = new IncidentFactory(city);
	const rng = new Rng(seed);
	const out: RecentIncident[] = [];
	const boost = overdispersion > 0 ? 4 : 1;
	const multipliers = new Map<string, number>();
	const multiplier = (day: number, key: string) => {
		const k = `${day}|${key}`;
		let m = multipliers.get(k);
		if (m === undefined) {
			m = gamma(rng, 1 / overdispersion) * overdispersion;
			multipliers.set(k, m);
		}
		return m;
	};
	for (let h = start; h < end; h += HOUR) {
		const local = new Date(h + OFFSET_MS);
		const n = rng.poisson(boost * expectedPerHour(local.getUTCDay(), local.getUTCMonth(), local.getUTCHours()));
		for (let k = 0; k < n; k++) {
			const created = new Date(h + Math.floor(rng.next() * HOUR));
			const { incident: i } = factory.make(rng, created);
			if (i.lat === undefined || i.lon === undefined) continue; // no location: no hotspot either
			if (boost > 1 && !rng.chance(multiplier(Math.floor((h + OFFSET_MS) / (24 * HOUR)), `${i.district}|${i.category}`) / boost)) continue;
			out.push({
				id: i.id,
				cell: latLngToCell(i.lat, i.lon, 9),
				category: i.category,
				address: i.address ?? '',
				district: i.district ?? 'unknown',
				createdAt: created.getTime(),
				lat: i.lat,
				lon: i.lon
			});
		}
	}
	return out.sort((a, b) => a.createdAt - b.createdAt);
}

/** Gamma(shape, 1) by Marsaglia–Tsang (shape ≥ 1; boosted for shape < 1). */
function gamma(rng: Rng, shape: number): number {
	if (shape < 1) return gamma(rng, shape + 1) * Math.pow(1 - rng.next(), 1 / shape);
	const d = shape - 1 / 3;
	const c = 1 / Math.sqrt(9 * d);
	for (;;) {
		const x = rng.normal();
		const v = (1 + c * x) ** 3;
		if (v <= 0) continue;
		const u = 1 - rng.next();
		if (Math.log(u) < 0.5 * x * x + d - d * v + Math.log(v)) return d * v;
	}
}
