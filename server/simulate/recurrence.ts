/**
 * Realistic repeats for the simulator: some answered problems come back to the same place (the answer did
 * not fix it) — a cold flat a week after «бригада направлена», a pothole patched and open again. After an
 * incident's first response, with a per-category chance, a recurrence is scheduled a log-normal number of
 * days later at the same location, category and district, its address written the way another resident
 * would write it. The factory emits a due recurrence in place of the next fresh background incident, so the
 * daily rhythm and volumes stay as calibrated. Chains form on their own (a recurrence can recur again),
 * which is what a chronic place looks like.
 */
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import { shortStreet, type Location } from './places.ts';
import type { Rng } from './random.ts';

/** Chance that an answered incident of a category recurs at its place. Housing and utilities recur most. */
export const RECURRENCE_CHANCE: Record<string, number> = {
	heating: 0.16,
	water: 0.14,
	housing: 0.12,
	roads: 0.1,
	yard: 0.08,
	lighting: 0.08,
	waste: 0.08,
	snow: 0.06
};
const DEFAULT_CHANCE = 0.03;
/** Days from the answer to the recurrence: median 6, most within the 30-day window, some later. */
const DELAY_MEDIAN_DAYS = 6;
const DELAY_SIGMA = 0.9;
/** Pending recurrences kept at most (the oldest due ones are emitted first; beyond this none is scheduled). */
const MAX_PENDING = 5000;
const DAY_MS = 86_400_000;

export interface Recurrence {
	due: number;
	category: string;
	district: string;
	location: Location;
}

export class RecurrenceQueue {
	/** Sorted by `due`, earliest first. */
	private readonly pending: Recurrence[] = [];

	get size(): number {
		return this.pending.length;
	}

	/** After an incident is made: maybe schedule its recurrence, counted from its first response. */
	consider(rng: Rng, incident: IncidentInput, events: readonly StatusEventInput[], location: Location | null): void {
		const answer = events.find((e) => e.type === 'responded');
		if (!answer || !location || !incident.district || !location.street) return;
		if (!rng.chance(RECURRENCE_CHANCE[incident.category] ?? DEFAULT_CHANCE)) return;
		if (this.pending.length >= MAX_PENDING) return;
		const due = Date.parse(answer.at) + rng.logNormal(DELAY_MEDIAN_DAYS, DELAY_SIGMA) * DAY_MS;
		const location2 = { ...location, address: respelled(rng, location) };
		const r: Recurrence = { due, category: incident.category, district: incident.district, location: location2 };
		let i = this.pending.length;
		while (i > 0 && this.pending[i - 1]!.due > due) i--;
		this.pending.splice(i, 0, r);
	}

	/** The earliest recurrence due by `at`, removed from the queue. */
	take(at: number): Recurrence | null {
		const head = this.pending[0];
		if (!head || head.due > at) return null;
		this.pending.shift();
		return head;
	}
}

/** The same house as another resident writes it: «ул. Попова, 104», «Попова улица 104», «улица Попова, д. 104». */
export function respelled(rng: Rng, loc: Location): string {
	if (!loc.street || loc.house === null) return loc.address;
	const short = shortStreet(loc.street);
	const forms = [`${short}, ${loc.house}`, `${loc.street}, д. ${loc.house}`, `${loc.street} ${loc.house}`, `${short} д${loc.house}`, `г. Барнаул, ${short}, ${loc.house}`];
	return rng.pick(forms);
}
