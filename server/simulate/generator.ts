/**
 * Makes one simulated incident and its status events. Shared by the year of history, the live stream
 * and the cluster injector so all three look alike.
 */
import type { EventType, IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { CityPack } from '../city/pack.ts';
import { CityPlaces, type Location } from './places.ts';
import { categoryWeights, LIFECYCLE, NO_LOCATION_SHARE, SEVERITY_SHARES, SOURCE_SHARES } from './profile.ts';
import type { Rng } from './random.ts';
import { COMMENTS, executorFor, incidentText } from './texts.ts';
import { RecurrenceQueue } from './recurrence.ts';

export interface Generated {
	incident: IncidentInput;
	events: StatusEventInput[];
}

export interface IncidentOverrides {
	category?: string;
	district?: string;
	location?: Location;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export class IncidentFactory {
	readonly places: CityPlaces;
	readonly districtWeights: Map<string, number>;

	constructor(readonly city: CityPack) {
		this.places = new CityPlaces(city);
		// Districts weigh by population; a district without a figure gets the average one.
		const known = city.districts.filter((d) => d.population !== null);
		const avg = known.reduce((s, d) => s + d.population!, 0) / Math.max(1, known.length);
		this.districtWeights = new Map(city.districts.map((d) => [d.code, d.population ?? avg]));
	}

	/** Local month (0–11) of an instant, in the city's time zone. */
	month(at: Date): number {
		return Number(this.city.calendar.localDate(at).slice(5, 7)) - 1;
	}

	/**
	 * One incident at `created`. With `recurrences` (the background stream of a history or of the live
	 * simulator) it may be a due recurrence of an earlier answered problem, and may schedule its own;
	 * injected clusters pass none, so a year with clusters stays the control year plus the clusters.
	 */
	make(rng: Rng, created: Date, o: IncidentOverrides = {}, recurrences?: RecurrenceQueue): Generated {
		const due = recurrences?.take(created.getTime()) ?? null;
		if (due) o = { category: due.category, district: due.district, location: due.location };
		const g = this.makeOne(rng, created, o);
		recurrences?.consider(rng, g.incident, g.events, g.location);
		return { incident: g.incident, events: g.events };
	}

	private makeOne(rng: Rng, created: Date, o: IncidentOverrides): Generated & { location: Location | null } {
		const category = o.category ?? rng.weighted(categoryWeights(this.month(created), this.city.categoryCodes));
		const source = rng.weighted(SOURCE_SHARES);
		let severity = Number(rng.weighted(SEVERITY_SHARES));
		// A cold flat in January is more urgent than a broken bench.
		if ((category === 'heating' || category === 'water') && severity < 5 && rng.chance(0.15)) severity++;
		const noLocation = !o.location && !o.district && rng.chance(NO_LOCATION_SHARE);
		const district = noLocation ? undefined : (o.district ?? rng.weighted(this.districtWeights));
		const loc = o.location ?? (district ? this.places.sample(rng, district) : null);
		const id = `demo-${created.getTime().toString(36)}-${Math.floor(rng.next() * 36 ** 5).toString(36).padStart(5, '0')}`;
		const incident: IncidentInput = {
			id,
			source,
			created_at: created.toISOString(),
			category,
			...(district ? { district } : {}),
			...(loc ? { lat: loc.lat, lon: loc.lon, address: loc.address } : {}),
			text: incidentText(rng, category, loc?.address || null),
			url: urlFor(rng, source),
			severity
		};
		return { incident, events: this.lifecycle(rng, id, created, category, severity), location: loc };
	}

	/**
	 * Status events: most incidents are assigned, then answered after a log-normal number of working
	 * hours (so a post at night waits for the morning); many are resolved days later, a few reopened.
	 */
	lifecycle(rng: Rng, id: string, created: Date, category: string, severity: number): StatusEventInput[] {
		const cal = this.city.calendar;
		const L = LIFECYCLE;
		const executor = executorFor(rng, category);
		const out: StatusEventInput[] = [];
		const push = (type: EventType, at: Date) =>
			out.push({ incident_id: id, type, at: at.toISOString(), executor, comment: rng.pick(COMMENTS[type]) });

		const assigned = rng.chance(L.assignedShare);
		const assignH = rng.logNormal(L.assignMedianH, L.assignSigma);
		if (assigned) push('assigned', cal.addWorkingHours(created, assignH));
		if (!rng.chance(assigned ? L.respondedIfAssigned : L.respondedIfNotAssigned)) return out;
		const median = severity >= 4 ? L.urgentResponseMedianH : L.responseMedianH;
		const responseH = Math.max(rng.logNormal(median, L.responseSigma), assigned ? assignH + 0.05 : 0.05);
		const responded = cal.addWorkingHours(created, responseH);
		push('responded', responded);
		if (!rng.chance(L.resolvedShare)) return out;
		const resolved = new Date(responded.getTime() + rng.logNormal(L.resolveMedianDays, L.resolveSigma) * DAY_MS + HOUR_MS);
		push('resolved', resolved);
		if (!rng.chance(L.reopenedShare)) return out;
		const reopened = new Date(resolved.getTime() + rng.logNormal(L.reopenMedianDays, 0.6) * DAY_MS);
		push('reopened', reopened);
		if (rng.chance(L.resolvedAgainShare)) {
			push('resolved', new Date(reopened.getTime() + rng.logNormal(L.resolveMedianDays, L.resolveSigma) * DAY_MS));
		}
		return out;
	}
}

function urlFor(rng: Rng, source: string): string {
	const n = rng.int(1000, 999_999);
	switch (source) {
		case 'vk':
			return `https://vk.com/wall-${rng.pick(['22411531', '160397062', '54467853'])}_${n}`;
		case 'ok':
			return `https://ok.ru/group/${rng.pick(['52365813301453', '54012785786880'])}/topic/${n}`;
		case 'telegram':
			return `https://t.me/${rng.pick(['barnaul_live', 'brn22', 'barnaul_online'])}/${n}`;
		case 'feedback_platform':
			return `https://pos.gosuslugi.ru/lkp/appeals/${n}/`;
		case 'forum':
			return `https://forum.example.org/barnaul/t/${n}`;
		default:
			return `https://news.example.org/barnaul/${n}`;
	}
}
