/**
 * The checkpointed Snapshot figures (live.ts + recent.ts over analytics checkpoints) against the
 * reference queries, one per figure, that join every stored incident to its first response (kpis.ts,
 * districts.ts, response-daily.ts, hourly.ts, week-categories.ts), on a seeded history with the awkward cases: several responses per incident,
 * responses before creation (clock skew) and months later, events stored before their incident,
 * incidents and responses after `now`. Then the checkpoint lifecycle: advancing as `now` moves on,
 * and late data under a checkpoint (an old incident, an old response) making it rebuild.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadCityPack, type CityPack } from '../../server/city/pack.ts';
import { computeAggregates, districtStats, kpisFromRow, responseDaily } from '../../server/analytics/aggregates.ts';
import { Checkpoints, TAKE_BEFORE } from '../../server/analytics/checkpoint.ts';
import { queryDistricts } from '../../server/analytics/queries/districts.ts';
import { queryHourly } from '../../server/analytics/queries/hourly.ts';
import { queryWeekCategories } from '../../server/analytics/queries/week-categories.ts';
import { queryKpis } from '../../server/analytics/queries/kpis.ts';
import { queryResponseDaily } from '../../server/analytics/queries/response-daily.ts';
import { boundaries } from '../../server/analytics/time.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';
import { Rng } from '../../server/simulate/random.ts';
import { insertEvents, insertIncidents, local, openTestStore, type EventRow, type IncidentRow, type TestStore } from './support/store.ts';

const TZ = 'Asia/Barnaul';
const NOW = local('2024-03-11 10:30');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const DISTRICTS = ['central', 'industrialny', 'leninsky', 'oktyabrsky', 'unknown'];
const CATEGORIES = ['roads', 'heating', 'water', 'yard'];
const SCOPES: Scope[] = [{ district: null }, { district: 'industrialny' }, { district: 'central' }];

let ts: TestStore;
let city: CityPack;
let ckpts: Checkpoints;

/** A seeded history: 120 days before NOW and 6 hours after it. */
function history(seed: number, from: number, to: number, prefix: string): { incidents: IncidentRow[]; events: EventRow[] } {
	const rng = new Rng(seed);
	const incidents: IncidentRow[] = [];
	const events: EventRow[] = [];
	for (let k = 0; from + k * 40 * MIN < to; k++) {
		const created = from + k * 40 * MIN + Math.floor(rng.next() * 30 * MIN);
		const id = `${prefix}${k}`;
		incidents.push({
			id,
			district: DISTRICTS[Math.floor(rng.next() * DISTRICTS.length)]!,
			category: CATEGORIES[Math.floor(rng.next() * CATEGORIES.length)]!,
			created_at: new Date(created),
			deadline_at: new Date(created + Math.floor(rng.next() * 5 * DAY))
		});
		const u = rng.next();
		// 15 % never answered; some answered before creation, some 2 months later; up to 3 responses
		const responses = u < 0.15 ? 0 : 1 + Math.floor(rng.next() * 3);
		for (let j = 0; j < responses; j++) {
			const delay = u < 0.2 ? -5 * MIN : u < 0.25 ? 60 * DAY * rng.next() : rng.next() * 2 * DAY;
			events.push({ incident_id: id, type: 'responded', at: new Date(created + delay) });
		}
		if (rng.next() < 0.3) events.push({ incident_id: id, type: 'resolved', at: new Date(created + 3 * DAY) });
	}
	return { incidents, events };
}

async function reference(scope: Scope, now: Date) {
	const b = boundaries(now, TZ);
	const [kpi, districts, days, hourly, week] = await Promise.all([
		queryKpis(ts.store, b, TZ, scope.district),
		queryDistricts(ts.store, b, scope.district),
		queryResponseDaily(ts.store, b, TZ, scope.district),
		queryHourly(ts.store, b, scope.district),
		queryWeekCategories(ts.store, b, scope.district)
	]);
	return {
		kpis: kpisFromRow(kpi),
		districts: districtStats(city, districts, scope),
		trends: {
			response_daily: responseDaily(b, days),
			hourly: hourly.map((h) => ({ ...h, hour: new Date(h.hour).toISOString() })),
			week_categories: week
		}
	};
}

async function checkpointed(scope: Scope, now: Date) {
	const a = await computeAggregates(ts.store, ckpts, city, TZ, scope, now);
	return { kpis: a.kpis, districts: a.districts, trends: a.trends };
}

async function expectSameEverywhere(now: Date): Promise<void> {
	for (const scope of SCOPES) expect(await checkpointed(scope, now), `${scope.district} at ${now.toISOString()}`).toEqual(await reference(scope, now));
}

beforeAll(async () => {
	ts = await openTestStore();
	city = loadCityPack(path.resolve('city/barnaul'), TZ);
	ckpts = new Checkpoints(ts.store);
	const h = history(7, NOW.getTime() - 120 * DAY, NOW.getTime() + 6 * HOUR, 'x');
	// events first: some of them wait for their incident
	await insertEvents(ts.store, h.events);
	await insertIncidents(ts.store, h.incidents);
});

afterAll(async () => {
	await ckpts?.idle();
	await ts?.close();
});

describe('checkpointed snapshot figures', () => {
	it('equal the full-join reference for the city and district scopes', async () => {
		const ref = await reference({ district: null }, NOW);
		// the fixture exercises what matters
		expect(ref.kpis.open).toBeGreaterThan(50);
		expect(ref.kpis.overdue).toBeGreaterThan(10);
		expect(ref.trends.response_daily.filter((d) => d.n > 0).length).toBeGreaterThan(25);
		expect(ref.trends.hourly.length).toBeGreaterThan(20);
		expect(ref.trends.week_categories.length).toBe(CATEGORIES.length);
		await expectSameEverywhere(NOW);
		expect(ckpts.latest?.t.toISOString()).toBe(new Date(NOW.getTime() - TAKE_BEFORE).toISOString());
	});

	it('stay equal as now moves on, and the checkpoint advances in the background', async () => {
		const first = ckpts.latest!;
		await expectSameEverywhere(new Date(NOW.getTime() + 30 * MIN));
		expect(ckpts.latest!.version).toBe(first.version);
		const later = new Date(NOW.getTime() + 3 * HOUR);
		await expectSameEverywhere(later); // older than an hour: starts advancing
		await ckpts.idle();
		const advanced = ckpts.latest!;
		expect(advanced.version).toBeGreaterThan(first.version);
		expect(advanced.t.toISOString()).toBe(new Date(later.getTime() - TAKE_BEFORE).toISOString());
		await expectSameEverywhere(new Date(NOW.getTime() + 4 * HOUR));
		await expectSameEverywhere(new Date(NOW.getTime() + 5 * HOUR + 50 * MIN));
	});

	it('rebuild when late data lands under the checkpoint', async () => {
		const now = new Date(NOW.getTime() + 5 * HOUR + 50 * MIN);
		const before = ckpts.latest!;
		// an incident from last week arriving only now, and a late response to an open incident
		const ref = await reference({ district: null }, now);
		const open = (await ts.store.query({
			query: `SELECT id FROM incidents WHERE created_at < {t:DateTime64(3)} AND id NOT IN (SELECT incident_id FROM incident_events WHERE type = 'responded') ORDER BY id LIMIT 1`,
			query_params: { t: '2024-03-05 00:00:00.000' },
			format: 'JSONEachRow'
		}).then((r) => r.json<{ id: string }>()))[0]!.id;
		await insertIncidents(ts.store, [
			{ id: 'late1', district: 'industrialny', category: 'roads', created_at: local('2024-03-06 12:00'), deadline_at: local('2024-03-07 12:00') }
		]);
		await insertEvents(ts.store, [{ incident_id: open, type: 'responded', at: local('2024-03-10 12:00') }]);
		const after = await reference({ district: null }, now);
		expect(after.kpis.open).toBe(ref.kpis.open); // one more open, one fewer
		expect(after.trends.response_daily).not.toEqual(ref.trends.response_daily);
		await expectSameEverywhere(now);
		expect(ckpts.latest!.version).toBeGreaterThan(before.version);
	});
});
