/** The week's numbers from a hand-made fixture in the real embedded engine (2024-W10, Barnaul). */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../server/store/client.ts';
import { buildReportData } from '../../server/reports/data.ts';
import { parseWeek, shiftWeek, type IsoWeek } from '../../server/reports/week.ts';
import { weekSummary } from '../../server/reports/queries/week-summary.ts';
import { weekCategories } from '../../server/reports/queries/week-categories.ts';
import { weekSources } from '../../server/reports/queries/week-sources.ts';
import { weekDaily } from '../../server/reports/queries/week-daily.ts';
import { weekHotCells } from '../../server/reports/queries/week-hot-cells.ts';
import { weekOverdue } from '../../server/reports/queries/week-overdue.ts';
import { cellAt, districtPoint, freshStore, insertIncidents, insertResponses, testCity } from './fixture.ts';

const TZ = 'Asia/Barnaul';
let store: Store;
let dir: string;
let week: IsoWeek;
let params: { start: Date; end: Date; prev_start: Date; tz: string };
const c = districtPoint('central');
const elsewhere = { lat: c.lat + 0.005, lon: c.lon + 0.005 };

beforeAll(async () => {
	({ store, dir } = await freshStore());
	week = parseWeek('2024-W10', TZ)!; // Mon 2024-03-04 00:00 +07 = 2024-03-03T17:00Z … 2024-03-10T17:00Z
	params = { start: week.start, end: week.end, prev_start: shiftWeek(week, 1, TZ).start, tz: TZ };
	await insertIncidents(store, [
		{ id: 'a1', district: 'central', created_at: '2024-03-04T03:00:00Z', deadline_at: '2024-03-04T11:00:00Z', address: 'ул. Попова, 104' },
		{ id: 'a2', district: 'central', created_at: '2024-03-05T03:00:00Z', deadline_at: '2024-03-05T11:00:00Z', source: 'telegram', address: 'ул. Попова, 104' },
		{ id: 'a3', district: 'central', created_at: '2024-03-06T03:00:00Z', deadline_at: '2024-03-06T11:00:00Z', category: 'water' },
		{ id: 'a4', district: 'central', created_at: '2024-03-07T03:00:00Z', deadline_at: '2024-03-07T11:00:00Z', category: 'roads', at: elsewhere, text: 'Яма на дороге' },
		{ id: 'a5', district: 'leninsky', created_at: '2024-03-10T16:30:00Z', deadline_at: '2024-03-11T05:00:00Z', category: 'snow', source: 'phone' },
		{ id: 'a6', district: 'leninsky', created_at: '2024-03-03T16:59:00Z', deadline_at: '2024-03-04T05:00:00Z', category: 'snow' },
		{ id: 'a7', district: 'central', created_at: '2024-03-10T17:00:00Z', deadline_at: '2024-03-11T05:00:00Z' },
		{ id: 'a8', district: 'central', created_at: '2024-03-08T03:00:00Z', deadline_at: '2024-03-08T11:00:00Z', address: 'ул. Попова, 106' },
		{ id: 'a9', district: 'central', created_at: '2024-02-27T03:00:00Z', deadline_at: '2024-02-27T11:00:00Z' }
	]);
	await insertResponses(store, [
		{ id: 'a1', at: '2024-03-04T03:30:00Z' }, // 30 min, in time
		{ id: 'a2', at: '2024-03-05T05:00:00Z' }, // 120 min, in time
		{ id: 'a3', at: '2024-03-06T13:00:00Z' }, // 600 min, late
		{ id: 'a3', at: '2024-03-06T14:00:00Z' }, // a second answer: only the first counts
		{ id: 'a8', at: '2024-03-11T03:00:00Z' } // after the week: still overdue at its end
	]);
});

afterAll(async () => {
	await store.close();
	fs.rmSync(dir, { recursive: true, force: true });
});

describe('week queries', () => {
	it('summary: volume, first response p50/p90, SLA and overdue, per district and city', async () => {
		const rows = await weekSummary(store, params);
		expect(rows.map((r) => r.scope)).toEqual(['', 'central', 'leninsky']);
		expect(rows[0]).toEqual({ scope: '', count: 6, count_prev: 2, responded: 3, p50_min: 120, p90_min: 504, due: 5, in_time: 2, overdue: 2 });
		expect(rows[1]).toEqual({ scope: 'central', count: 5, count_prev: 1, responded: 3, p50_min: 120, p90_min: 504, due: 5, in_time: 2, overdue: 2 });
		expect(rows[2]).toEqual({ scope: 'leninsky', count: 1, count_prev: 1, responded: 0, p50_min: null, p90_min: null, due: 0, in_time: 0, overdue: 0 });
	});

	it('categories with last week, sources, and local days', async () => {
		const cats = (await weekCategories(store, params)).filter((r) => r.scope === '');
		expect(cats.map((r) => [r.category, r.this_week, r.last_week])).toEqual([
			['heating', 3, 1],
			['snow', 1, 1],
			['roads', 1, 0],
			['water', 1, 0]
		]);
		const sources = (await weekSources(store, params)).filter((r) => r.scope === '');
		expect(sources.map((r) => [r.source, r.count])).toEqual([
			['vk', 4],
			['phone', 1],
			['telegram', 1]
		]);
		const days = (await weekDaily(store, params)).filter((r) => r.scope === '');
		// a5 at Sun 23:30 local is Sunday; a6 at Sun 23:59 of the week before lands on this Sunday's prev.
		expect(days.map((r) => [r.day, r.count, r.count_prev])).toEqual([
			['2024-03-04', 1, 0],
			['2024-03-05', 1, 1],
			['2024-03-06', 1, 0],
			['2024-03-07', 1, 0],
			['2024-03-08', 1, 0],
			['2024-03-10', 1, 1]
		]);
	});

	it('hot cells: the central cell with 4 incidents against 1 in 8 weeks', async () => {
		const rows = await weekHotCells(store, { ...params, base_start: shiftWeek(week, 8, TZ).start });
		const hex = (BigInt(cellAt(c.lat, c.lon))).toString(16);
		expect(rows.map((r) => [r.scope, r.cell, r.count, r.expected])).toEqual([
			['', hex, 4, 0.125],
			['central', hex, 4, 0.125]
		]);
		expect(rows[0]?.categories).toEqual(['heating', 'heating', 'heating', 'water']);
	});

	it('worst overdue: unanswered at the week end, longest past the deadline first', async () => {
		const rows = await weekOverdue(store, params);
		expect(rows.map((r) => [r.district, r.id, r.overdue_hours])).toEqual([
			['central', 'a4', 78],
			['central', 'a8', 54]
		]);
		expect(rows[0]?.text).toBe('Яма на дороге');
	});
});

describe('buildReportData', () => {
	it('has the city first, then every district in pack order, with dominant category and place', async () => {
		const data = await buildReportData(store, testCity, week, TZ);
		expect(data.scopes.map((s) => s.district)).toEqual([null, 'central', 'zheleznodorozhny', 'industrialny', 'leninsky', 'oktyabrsky']);
		expect(data.from).toBe('2024-03-04');
		expect(data.to).toBe('2024-03-10');
		const city = data.scopes[0]!;
		expect(city.summary.sla_share).toBe(0.4);
		expect(city.daily.map((d) => d.count)).toEqual([1, 1, 1, 1, 1, 0, 1]);
		expect(city.hotspots[0]).toMatchObject({ district: 'central', category: 'heating', place: 'ул. Попова, 104', count: 4 });
		expect(data.scopes[1]!.overdue_worst.map((o) => o.id)).toEqual(['a4', 'a8']);
		expect(data.scopes[2]!.summary).toMatchObject({ count: 0, sla_share: null });
	});

	it('is the same when made again after later data arrived', async () => {
		const before = await buildReportData(store, testCity, week, TZ);
		await insertResponses(store, [{ id: 'a4', at: '2024-03-12T03:00:00Z' }]);
		await insertIncidents(store, [{ id: 'b1', district: 'central', created_at: '2024-03-12T03:00:00Z', deadline_at: '2024-03-12T11:00:00Z' }]);
		const after = await buildReportData(store, testCity, week, TZ);
		expect(after).toEqual(before);
	});
});
