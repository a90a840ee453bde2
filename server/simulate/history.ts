/**
 * A period of simulated history, deterministic from a seed: incidents day by day with the daily,
 * weekly and seasonal rhythm, their status events, and optionally injected clusters. The background
 * and the clusters use separate random streams, so a year with N clusters is exactly the control year
 * (no clusters) plus the injected complaints — what a detection benchmark needs.
 */
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { CityPack } from '../city/pack.ts';
import { nextDate } from '../city/calendar.ts';
import { makeCluster, type ClusterSpec, type ClusterTruth } from './clusters.ts';
import { IncidentFactory } from './generator.ts';
import { RecurrenceQueue } from './recurrence.ts';
import { expectedPerDay, HOURLY, INCIDENTS_PER_YEAR } from './profile.ts';
import { Rng } from './random.ts';

export interface HistoryOptions {
	city: CityPack;
	seed: number;
	start: Date;
	end: Date;
	/** A number of default clusters at random times, or explicit specs. Default none. */
	clusters?: number | ClusterSpec[];
	perYear?: number;
	/** Reuse a factory (street axes) across calls. */
	factory?: IncidentFactory;
}

export interface History {
	seed: number;
	start: string;
	end: string;
	/** Sorted by created_at. */
	incidents: IncidentInput[];
	/** Sorted by at; may reach past `end` (answers to the last incidents come later). */
	events: StatusEventInput[];
	clusters: ClusterTruth[];
}

const HOUR_MS = 3_600_000;
const HOUR_WEIGHTS: Record<string, number> = Object.fromEntries(HOURLY.map((w, h) => [String(h), w]));

export function generateHistory(opts: HistoryOptions): History {
	const { city, seed, start, end } = opts;
	const factory = opts.factory ?? new IncidentFactory(city);
	const cal = city.calendar;
	const rng = new Rng(seed);
	const incidents: IncidentInput[] = [];
	const events: StatusEventInput[] = [];
	const t0 = start.getTime();
	const t1 = end.getTime();
	// Answered problems that come back to their place (recurrence.ts): the demo's repeats and chronic places.
	const recurrences = new RecurrenceQueue();

	const lastDay = cal.localDate(end);
	for (let day = cal.localDate(start); day <= lastDay; day = nextDate(day)) {
		const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
		const month = Number(day.slice(5, 7)) - 1;
		const n = rng.poisson(expectedPerDay(weekday, month, opts.perYear ?? INCIDENTS_PER_YEAR));
		const times: number[] = [];
		for (let i = 0; i < n; i++) {
			const hour = Number(rng.weighted(HOUR_WEIGHTS));
			times.push(cal.localToUtc(day, (hour + rng.next()) * HOUR_MS).getTime());
		}
		times.sort((a, b) => a - b);
		for (const t of times) {
			// Days at the edges are generated whole and trimmed, so the rhythm does not depend on the cut.
			const g = factory.make(rng, new Date(t), {}, recurrences);
			if (t < t0 || t >= t1) continue;
			incidents.push(g.incident);
			events.push(...g.events);
		}
	}

	const clusters = injectClusters(factory, seed, start, end, opts.clusters ?? 0);
	for (const c of clusters) {
		incidents.push(...c.incidents);
		events.push(...c.events);
	}
	incidents.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
	events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
	return { seed, start: start.toISOString(), end: end.toISOString(), incidents, events, clusters: clusters.map((c) => c.truth) };
}

function injectClusters(factory: IncidentFactory, seed: number, start: Date, end: Date, clusters: number | ClusterSpec[]) {
	const specs: ClusterSpec[] = typeof clusters === 'number' ? Array.from({ length: clusters }, () => ({})) : clusters;
	const rng = new Rng((seed ^ 0x5bd1e995) >>> 0);
	const cal = factory.city.calendar;
	return specs.map((spec, i) => {
		const durMs = (spec.durationH ?? 3) * HOUR_MS;
		let at = spec.start;
		if (!at) {
			// A daytime start (08:00–18:00 local) on a random day, ending inside the period.
			for (let k = 0; k < 100; k++) {
				const day = cal.localDate(new Date(start.getTime() + rng.next() * (end.getTime() - start.getTime())));
				const cand = cal.localToUtc(day, rng.uniform(8, 18) * HOUR_MS);
				at = cand;
				if (cand.getTime() >= start.getTime() && cand.getTime() + durMs < end.getTime()) break;
			}
		}
		return makeCluster(rng, factory, spec, at!, `cluster-${seed}-${i + 1}`);
	});
}
