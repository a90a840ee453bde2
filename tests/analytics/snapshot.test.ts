/**
 * Every Snapshot field against a hand-built week of Barnaul, answers worked out by hand below.
 * now = Monday 2024-03-11 10:30 Barnaul (03:30Z). Friday 8 March is a public holiday and Thursday
 * 7 March a short day (09:00–17:00) in the production calendar.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { loadCityPack, type CityPack } from '../../server/city/pack.ts';
import { createAnalytics } from '../../server/analytics/index.ts';
import type { Snapshot } from '../../src/lib/contract/snapshot.ts';
import { insertEvents, insertIncidents, local, openTestStore, type EventRow, type IncidentRow, type TestStore } from './support/store.ts';

const NOW = local('2024-03-11 10:30');
const nullPublisher = { aggregates() {}, hotspots() {}, hotspotAlert() {} };

let ts: TestStore;
let city: CityPack;
const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

function row(id: string, district: string, category: string, createdLocal: string, severity = 2, extra: Partial<IncidentRow> = {}): IncidentRow {
	const created_at = local(createdLocal);
	const deadline_at = city.calendar.addWorkingHours(created_at, city.deadlineHours(category, severity));
	return { id, district, category, created_at, deadline_at, severity, ...extra };
}

const responded = (id: string, createdLocal: string, afterMin: number): EventRow => ({
	incident_id: id,
	type: 'responded',
	at: minutes(local(createdLocal), afterMin)
});

let snapCity: Snapshot;
let snapInd: Snapshot;

beforeAll(async () => {
	ts = await openTestStore();
	city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
	const incidents: IncidentRow[] = [
		// today (Monday 11 March, local)
		row('t1', 'industrialny', 'heating', '2024-03-11 00:30'), // 17:30Z on Sunday in UTC
		row('t2', 'industrialny', 'heating', '2024-03-11 08:00'),
		row('t3', 'central', 'roads', '2024-03-11 09:00'),
		row('t4', 'leninsky', 'water', '2024-03-11 10:00', 2, { text: 'ж'.repeat(300) }),
		row('u1', 'unknown', 'other', '2024-03-11 09:30'),
		row('f1', 'industrialny', 'heating', '2024-03-11 11:00'), // after now: invisible
		// yesterday 23:30 local = the same UTC date as t1
		row('s1', 'industrialny', 'heating', '2024-03-10 23:30'),
		// the last 7 days
		row('w1', 'central', 'yard', '2024-03-05 10:00'),
		row('w2', 'industrialny', 'heating', '2024-03-07 15:00'), // short Thursday, holiday Friday, weekend
		row('w4', 'leninsky', 'roads', '2024-03-06 10:00'),
		row('w5', 'industrialny', 'lighting', '2024-03-04 12:00'),
		// older
		row('w3', 'central', 'waste', '2024-03-01 16:00', 4), // urgent: 4 working hours over a weekend
		row('h1', 'industrialny', 'heating', '2024-03-04 09:00'),
		row('h2', 'central', 'roads', '2024-02-26 10:29'),
		row('h3', 'central', 'roads', '2024-02-26 10:31'),
		row('h4', 'leninsky', 'yard', '2024-01-15 05:00'),
		row('h5', 'leninsky', 'yard', '2024-01-08 09:00'),
		row('h6', 'industrialny', 'heating', '2024-02-05 00:00')
	];
	await insertIncidents(ts.store, incidents);
	await insertEvents(ts.store, [
		responded('t1', '2024-03-11 00:30', 40),
		responded('t2', '2024-03-11 08:00', 20),
		{ incident_id: 't2', type: 'resolved', at: local('2024-03-11 09:00') },
		responded('t3', '2024-03-11 09:00', 60),
		{ incident_id: 't3', type: 'resolved', at: local('2024-03-11 10:05') },
		{ incident_id: 't3', type: 'reopened', at: local('2024-03-11 10:10') },
		{ incident_id: 't4', type: 'responded', at: local('2024-03-11 12:00') }, // after now: ignored
		{ incident_id: 't4', type: 'assigned', at: local('2024-03-11 10:05') },
		responded('s1', '2024-03-10 23:30', 70),
		responded('w1', '2024-03-05 10:00', 120),
		responded('w4', '2024-03-06 10:00', 1440),
		responded('w5', '2024-03-04 12:00', 30),
		responded('h1', '2024-03-04 09:00', 10),
		responded('h2', '2024-02-26 10:29', 10),
		responded('h3', '2024-02-26 10:31', 10),
		responded('h4', '2024-01-15 05:00', 10),
		responded('h5', '2024-01-08 09:00', 10),
		responded('h6', '2024-02-05 00:00', 10),
		// an event whose incident never arrived counts nowhere
		{ incident_id: 'ghost', type: 'responded', at: local('2024-03-11 09:00') }
	]);
	const analytics = createAnalytics({ store: ts.store, city, config: ts.config, publisher: nullPublisher, now: () => NOW });
	snapCity = await analytics.snapshot({ district: null });
	snapInd = await analytics.snapshot({ district: 'industrialny' });
	await analytics.stop();
});

afterAll(async () => {
	await ts?.close();
});

describe('working-hours deadlines (fixture sanity)', () => {
	it('counts a short Thursday, a holiday Friday and the weekend off', () => {
		// Thu 7 Mar 15:00 → 17:00 (2 h, short day), Fri 8 Mar holiday, weekend, Mon 09:00 + 6 h = 15:00 local
		expect(city.calendar.addWorkingHours(local('2024-03-07 15:00'), 8).toISOString()).toBe('2024-03-11T08:00:00.000Z');
		// urgent, Fri 1 Mar 16:00 → 18:00 (2 h), Mon 4 Mar 09:00 + 2 h = 11:00 local
		expect(city.calendar.addWorkingHours(local('2024-03-01 16:00'), 4).toISOString()).toBe('2024-03-04T04:00:00.000Z');
	});
});

describe('kpis', () => {
	it('city: today, usual, open, overdue, medians, SLA', () => {
		expect(snapCity.as_of).toBe('2024-03-11T03:30:00.000Z');
		expect(snapCity.kpis).toEqual({
			// t1 (00:30 local, still Sunday in UTC), t2, t3, t4, u1; not s1 (Sun 23:30 local) nor f1 (future)
			today: 5,
			// Mondays up to 10:30: h1 (4 Mar 09:00), h2 (26 Feb 10:29), h6 (5 Feb 00:00), h4 (15 Jan) = 4 / 8;
			// h3 (10:31) is later in the day, h5 (8 Jan) is 9 weeks back
			today_usual: 0.5,
			// t4 (its response is after now), u1, w2, w3
			open: 4,
			// only w3 (deadline Mon 4 Mar 11:00); w2 is due Mon 11 Mar 15:00, t4 at 18:00
			overdue: 1,
			// responses given today: t2 20, t1 40, t3 60, s1 70 → (40 + 60) / 2
			median_response_min_today: 50,
			// since 4 Mar 10:30: 20, 30, 40, 60, 70, 120, 1440 → 60
			median_response_min_7d: 60,
			// due or answered, created in 7 days: w5, w1, w4 (late), t1, t2, t3, s1 → 6 / 7
			sla_share_7d: 0.8571,
			// none of these incidents repeats an earlier one at its place and category
			repeat_share_30d: null
		});
	});

	it('district scope counts only its own incidents', () => {
		expect(snapInd.scope).toEqual({ district: 'industrialny' });
		expect(snapInd.kpis).toEqual({
			today: 2,
			today_usual: 0.25, // h1, h6
			open: 1, // w2
			overdue: 0,
			median_response_min_today: 40, // 20, 40, 70
			median_response_min_7d: 35, // 20, 30, 40, 70
			sla_share_7d: 1, // w5, t1, t2, s1
			repeat_share_30d: null
		});
	});
});

describe('districts', () => {
	it('city scope lists every district of the pack with tension against its own 8-week baseline', () => {
		expect(snapCity.districts.map((d) => d.code)).toEqual(city.districts.map((d) => d.code));
		const by = Object.fromEntries(snapCity.districts.map((d) => [d.code, d]));
		// industrialny: last 24 h t1, t2, s1 = 3; same 24 h in weeks 1–8: h1 (week 1), h6 (week 5) → 2/8
		// tension (3 + 1) / (0.25 + 1) = 3.2; per 10k: 3 / 186 301 · 10 000 = 0.161
		expect(by.industrialny).toEqual({
			code: 'industrialny',
			name: 'Индустриальный',
			population: 186301,
			today: 2,
			last_24h: 3,
			per_10k_24h: 0.16,
			tension: 3.2,
			open: 1,
			overdue: 0
		});
		// central: t3; baseline h2 (week 2; h3 falls a minute after its window) → (1+1)/(1/8+1) = 1.78
		expect(by.central).toMatchObject({ today: 1, last_24h: 1, per_10k_24h: 0.08, tension: 1.78, open: 1, overdue: 1 });
		// leninsky: t4; baseline h4 (week 8; h5 is week 9) → 1.78
		expect(by.leninsky).toMatchObject({ today: 1, last_24h: 1, per_10k_24h: 0.07, tension: 1.78, open: 1, overdue: 0 });
		expect(by.oktyabrsky).toMatchObject({ today: 0, last_24h: 0, tension: 1, open: 0 });
	});

	it('a district scope holds only its own entry', () => {
		expect(snapInd.districts.map((d) => d.code)).toEqual(['industrialny']);
		expect(snapInd.districts[0]).toMatchObject({ last_24h: 3, tension: 3.2 });
	});
});

describe('trends', () => {
	it('response_daily: 30 local days, p50/p90 by the day of the first response', () => {
		const days = snapCity.trends.response_daily;
		expect(days).toHaveLength(30);
		expect(days[0]!.day).toBe('2024-02-11');
		expect(days[29]).toEqual({ day: '2024-03-11', p50_min: 50, p90_min: 67, n: 4 }); // 20 40 60 70: 60 + 0.7·10
		const by = Object.fromEntries(days.map((d) => [d.day, d]));
		expect(by['2024-03-10']).toEqual({ day: '2024-03-10', p50_min: null, p90_min: null, n: 0 }); // s1 answered after local midnight
		expect(by['2024-03-04']).toEqual({ day: '2024-03-04', p50_min: 20, p90_min: 28, n: 2 }); // 10, 30
		expect(by['2024-03-07']).toEqual({ day: '2024-03-07', p50_min: 1440, p90_min: 1440, n: 1 });
		expect(by['2024-02-26']).toEqual({ day: '2024-02-26', p50_min: 10, p90_min: 10, n: 2 });
		expect(days.reduce((s, d) => s + d.n, 0)).toBe(4 + 2 + 1 + 1 + 2);
	});

	it('hourly: the 48 hours ending with the current hour, by category', () => {
		expect(snapCity.trends.hourly).toEqual([
			{ hour: '2024-03-10T16:00:00.000Z', category: 'heating', n: 1 },
			{ hour: '2024-03-10T17:00:00.000Z', category: 'heating', n: 1 },
			{ hour: '2024-03-11T01:00:00.000Z', category: 'heating', n: 1 },
			{ hour: '2024-03-11T02:00:00.000Z', category: 'other', n: 1 },
			{ hour: '2024-03-11T02:00:00.000Z', category: 'roads', n: 1 },
			{ hour: '2024-03-11T03:00:00.000Z', category: 'water', n: 1 }
		]);
	});

	it('week_categories: the local ISO week so far against last week up to the same point', () => {
		// t1 belongs to this week only in local time; last week up to Mon 4 Mar 10:30 holds h1, not w5 (12:00)
		expect(snapCity.trends.week_categories).toEqual([
			{ category: 'heating', this_week: 2, last_week: 1 },
			{ category: 'other', this_week: 1, last_week: 0 },
			{ category: 'roads', this_week: 1, last_week: 0 },
			{ category: 'water', this_week: 1, last_week: 0 }
		]);
	});
});

describe('feed', () => {
	it('newest first, with status as of now and text cut to 280 characters', () => {
		const feed = snapCity.feed;
		expect(feed.map((f) => f.id)).toEqual(['t4', 'u1', 't3', 't2', 't1', 's1', 'w2', 'w4', 'w1', 'w5', 'h1', 'w3', 'h3', 'h2', 'h6', 'h4', 'h5']);
		const by = Object.fromEntries(feed.map((f) => [f.id, f]));
		expect(by.t4!.status).toBe('open');
		expect(by.t3!.status).toBe('responded'); // reopened after resolved
		expect(by.t2!.status).toBe('resolved');
		expect(by.t1!.status).toBe('responded');
		expect(Array.from(by.t4!.text)).toHaveLength(280);
		expect(by.t4!.text.endsWith('…')).toBe(true);
		expect(by.w2!.deadline_at).toBe('2024-03-11T08:00:00.000Z');
		expect(by.t1!.created_at).toBe('2024-03-10T17:30:00.000Z');
	});

	it('a district scope sees only its incidents', () => {
		expect(snapInd.feed.map((f) => f.id)).toEqual(['t2', 't1', 's1', 'w2', 'w5', 'h1', 'h6']);
		expect(snapInd.hotspots).toEqual([]);
		expect(snapCity.hotspots).toEqual([]);
	});
});

describe('snapshot cache', () => {
	it('reuses a scope snapshot within the cache window until an ingest is notified', async () => {
		const analytics = createAnalytics({ store: ts.store, city, config: ts.config, publisher: nullPublisher, now: () => NOW, timing: { snapshotCacheMs: 60_000 } });
		try {
			expect((await analytics.snapshot({ district: 'central' })).kpis.today).toBe(1);
			await insertIncidents(ts.store, [row('c1', 'central', 'roads', '2024-03-11 10:15')]);
			// not notified: the cached figures stand (the pipeline notifies after every durable ingest)
			expect((await analytics.snapshot({ district: 'central' })).kpis.today).toBe(1);
			analytics.notifyIngest(new Set(['central']));
			const fresh = await analytics.snapshot({ district: 'central' });
			expect(fresh.kpis.today).toBe(2);
			expect(fresh.feed[0]!.id).toBe('c1');
		} finally {
			await analytics.stop();
		}
	});
});
