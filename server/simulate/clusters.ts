/**
 * Tension clusters injected on purpose (e.g. 8 heating complaints within 300 m in 3 h on one street),
 * with a record of what was injected: the ground truth of the hotspot detection benchmark.
 */
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import { distanceM } from '../city/geo.ts';
import type { IncidentFactory } from './generator.ts';
import type { Rng } from './random.ts';

export interface ClusterSpec {
	/** Default: heating in the heating season (October–April), water otherwise. */
	category?: string;
	size?: number;
	radiusM?: number;
	durationH?: number;
	district?: string;
	/** When the first complaint arrives; default: a random daytime hour in the period. */
	start?: Date;
}

export interface ClusterTruth {
	id: string;
	category: string;
	district: string;
	center: { lat: number; lon: number };
	radius_m: number;
	start: string;
	end: string;
	size: number;
	address: string;
	incident_ids: string[];
}

export interface InjectedCluster {
	truth: ClusterTruth;
	incidents: IncidentInput[];
	events: StatusEventInput[];
}

export const CLUSTER_DEFAULTS = { size: 8, radiusM: 300, durationH: 3 } as const;

export function defaultClusterCategory(month: number): string {
	return month >= 9 || month <= 3 ? 'heating' : 'water';
}

/**
 * Makes one cluster starting at `start`: `size` complaints of one category at neighbouring houses of one
 * street, all within `radiusM` of the centre house, spread over `durationH` hours.
 */
export function makeCluster(rng: Rng, factory: IncidentFactory, spec: ClusterSpec, start: Date, id: string): InjectedCluster {
	const size = spec.size ?? CLUSTER_DEFAULTS.size;
	const radiusM = spec.radiusM ?? CLUSTER_DEFAULTS.radiusM;
	const durationH = spec.durationH ?? CLUSTER_DEFAULTS.durationH;
	const category = spec.category ?? defaultClusterCategory(factory.month(start));
	const district = spec.district ?? rng.weighted(factory.districtWeights);
	let centre = factory.places.sample(rng, district);
	for (let i = 0; i < 50 && centre.street === null; i++) centre = factory.places.sample(rng, district);

	const times = Array.from({ length: size }, () => start.getTime() + rng.next() * durationH * 3_600_000).sort((a, b) => a - b);
	const incidents: IncidentInput[] = [];
	const events: StatusEventInput[] = [];
	for (const t of times) {
		const loc = (centre.street && factory.places.near(rng, district, centre.street, centre.house!, centre, (radiusM / 1000) * 0.95)) || centre;
		const g = factory.make(rng, new Date(t), { category, district, location: loc });
		incidents.push(g.incident);
		events.push(...g.events);
	}
	const maxDist = Math.max(...incidents.map((i) => distanceM(centre.lat, centre.lon, i.lat!, i.lon!)));
	return {
		truth: {
			id,
			category,
			district,
			center: { lat: centre.lat, lon: centre.lon },
			radius_m: Math.max(radiusM, Math.ceil(maxDist)),
			start: new Date(times[0]!).toISOString(),
			end: new Date(times[times.length - 1]!).toISOString(),
			size,
			address: centre.address,
			incident_ids: incidents.map((i) => i.id)
		},
		incidents,
		events
	};
}
