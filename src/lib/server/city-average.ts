/**
 * The city average a district page compares itself with. Computed on the server from the city snapshot,
 * and only these aggregate numbers reach a district head's page: a district token may see city-wide
 * averages, never another district's incidents, hotspots or per-district figures.
 */
import type { Snapshot } from '../contract/snapshot';
import type { CityAverage } from '../components/district/types';

export type { CityAverage };

const round1 = (x: number) => Math.round(x * 10) / 10;

function mean(xs: readonly number[]): number | null {
	return xs.length === 0 ? null : round1(xs.reduce((a, b) => a + b, 0) / xs.length);
}

export function cityAverage(city: Pick<Snapshot, 'kpis' | 'districts' | 'as_of'>): CityAverage {
	const ds = city.districts;
	const withPopulation = ds.filter((d) => d.population !== null && d.population > 0);
	const residents = withPopulation.reduce((a, d) => a + (d.population ?? 0), 0);
	const last24 = withPopulation.reduce((a, d) => a + d.last_24h, 0);
	return {
		districts: ds.length,
		today: mean(ds.map((d) => d.today)),
		open: mean(ds.map((d) => d.open)),
		overdue: mean(ds.map((d) => d.overdue)),
		per_10k_24h: residents > 0 ? Math.round((last24 / residents) * 10_000 * 100) / 100 : null,
		median_response_min_7d: city.kpis.median_response_min_7d,
		sla_share_7d: city.kpis.sla_share_7d,
		repeat_share_30d: city.kpis.repeat_share_30d ?? null,
		// Only with outbound alerts: the tablet shows the figure when the field is there.
		...(city.kpis.alert_acceptance_7d !== undefined ? { alert_acceptance_7d: city.kpis.alert_acceptance_7d } : {}),
		as_of: city.as_of
	};
}
