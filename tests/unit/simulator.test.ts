import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCityPack } from '../../server/city/pack.ts';
import { distanceM } from '../../server/city/geo.ts';
import { validateEvents, validateIncidents } from '../../server/ingest/validate.ts';
import { generateHistory, type History } from '../../server/simulate/history.ts';
import { summarizeHistory, type HistorySummary } from '../../server/simulate/summary.ts';
import { IncidentFactory } from '../../server/simulate/generator.ts';

const city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
const factory = new IncidentFactory(city);
const start = new Date('2024-01-01T00:00:00+07:00');
const end = new Date('2025-01-01T00:00:00+07:00');
let year: History;
let summary: HistorySummary;

beforeAll(() => {
	year = generateHistory({ city, seed: 7, start, end, factory });
	summary = summarizeHistory(year, city);
});

describe('simulated year of Barnaul', () => {
	it('has about 11 000 incidents (±10%), all with demo ids', () => {
		expect(year.incidents.length).toBeGreaterThan(9_900);
		expect(year.incidents.length).toBeLessThan(12_100);
		expect(year.incidents.every((i) => i.id.startsWith('demo-'))).toBe(true);
		expect(new Set(year.incidents.map((i) => i.id)).size).toBe(year.incidents.length);
		expect(year.clusters).toEqual([]);
	});

	it('weights districts by population', () => {
		const pops = city.districts.map((d) => d.population!);
		const total = pops.reduce((s, p) => s + p, 0);
		const located = 1 - (summary.district_share.unknown ?? 0);
		for (const d of city.districts) {
			const expected = (d.population! / total) * located;
			expect(Math.abs(summary.district_share[d.code]! - expected), d.code).toBeLessThan(0.02);
		}
		expect(summary.district_share.unknown).toBeLessThan(0.04);
	});

	it('follows the seasons', () => {
		const c = summary.category_share_by_month;
		expect(c.heating![0]!).toBeGreaterThan(5 * c.heating![6]!); // January vs July
		expect(c.snow![0]!).toBeGreaterThan(0.1);
		expect(c.snow![6] ?? 0).toBe(0);
		expect(c.roads![4]!).toBeGreaterThan(2 * c.roads![0]!); // May vs January
		expect(c.yard![6]!).toBeGreaterThan(2 * c.yard![0]!);
		for (const share of c.water!) expect(share).toBeGreaterThan(0.05); // water all year
	});

	it('is quiet at night and busy by day', () => {
		expect(summary.night_share).toBeLessThan(0.06);
		const hours = new Array<number>(24).fill(0);
		for (const i of year.incidents) hours[(new Date(i.created_at).getUTCHours() + 7) % 24]!++;
		expect(hours[11]!).toBeGreaterThan(5 * hours[3]!);
		expect(hours[20]!).toBeGreaterThan(hours[15]!);
	});

	it('has a weekly rhythm', () => {
		const days = new Array<number>(7).fill(0);
		for (const i of year.incidents) days[new Date(Date.parse(i.created_at) + 7 * 3_600_000).getUTCDay()]!++;
		expect(days[1]!).toBeGreaterThan(days[0]! * 1.15); // Monday vs Sunday
	});

	it('gets most signals from VK', () => {
		expect(summary.source_share.vk!).toBeGreaterThan(0.77);
		expect(summary.source_share.vk!).toBeLessThan(0.83);
		for (const s of ['ok', 'telegram', 'feedback_platform', 'forum', 'media']) expect(summary.source_share[s]!).toBeGreaterThan(0.01);
	});

	it('answers in 3–4 working hours at the median, 5–10% overdue', () => {
		expect(summary.median_response_working_h).toBeGreaterThan(3);
		expect(summary.median_response_working_h).toBeLessThan(4);
		expect(summary.overdue_share).toBeGreaterThan(0.05);
		expect(summary.overdue_share).toBeLessThan(0.1);
		expect(summary.responded_share).toBeGreaterThan(0.9);
		expect(summary.resolved_share).toBeGreaterThan(0.5);
		expect(summary.reopened).toBeGreaterThan(50);
	});

	it('orders every incident’s events after its creation, assigned before responded', () => {
		const created = new Map(year.incidents.map((i) => [i.id, Date.parse(i.created_at)]));
		const seen = new Map<string, string[]>();
		for (const e of year.events) {
			expect(Date.parse(e.at)).toBeGreaterThan(created.get(e.incident_id)!);
			seen.set(e.incident_id, [...(seen.get(e.incident_id) ?? []), e.type]);
		}
		for (const types of seen.values()) {
			if (types.includes('assigned') && types.includes('responded')) expect(types.indexOf('assigned')).toBeLessThan(types.indexOf('responded'));
		}
	});

	it('puts every point inside its own district, on a real street', () => {
		const streets = new Set([...city.details.values()].flatMap((d) => d.streets.map((s) => s.replace(/^(улица|проспект|бульвар) /, '').replace(/ (улица|проспект)$/, ''))));
		let located = 0;
		for (const i of year.incidents) {
			if (i.lat === undefined) {
				expect(i.district).toBeUndefined();
				continue;
			}
			located++;
			expect(city.districtAt(i.lat, i.lon!)).toBe(i.district);
			expect(i.address!.length).toBeGreaterThan(3);
		}
		expect(located).toBeGreaterThan(year.incidents.length * 0.95);
		const onStreets = year.incidents.filter((i) => i.address && [...streets].some((s) => i.address!.includes(s)));
		expect(onStreets.length).toBeGreaterThan(year.incidents.length * 0.8);
	});

	it('writes varied Russian texts', () => {
		const texts = new Set(year.incidents.map((i) => i.text));
		expect(texts.size).toBeGreaterThan(year.incidents.length * 0.5);
		expect(year.incidents.every((i) => /[а-яё]{4}/i.test(i.text ?? ''))).toBe(true);
		expect(year.incidents.some((i) => /lorem/i.test(i.text ?? ''))).toBe(false);
	});

	it('passes the ingest validation', () => {
		const v = validateIncidents(year.incidents.slice(0, 2000), city, () => end.getTime());
		expect(v.ok).toBe(true);
		const e = validateEvents(year.events.filter((x) => Date.parse(x.at) <= end.getTime()).slice(0, 2000), () => end.getTime());
		expect(e.ok).toBe(true);
	});

	it('is deterministic from the seed', () => {
		const a = generateHistory({ city, seed: 11, start, end: new Date('2024-02-01T00:00:00+07:00'), factory });
		const b = generateHistory({ city, seed: 11, start, end: new Date('2024-02-01T00:00:00+07:00'), factory });
		const c = generateHistory({ city, seed: 12, start, end: new Date('2024-02-01T00:00:00+07:00'), factory });
		expect(JSON.stringify(a)).toBe(JSON.stringify(b));
		expect(JSON.stringify(a.incidents)).not.toBe(JSON.stringify(c.incidents));
	});
});

describe('injected clusters', () => {
	it('add exactly the clusters to the control period and record them', () => {
		const e = new Date('2024-03-01T00:00:00+07:00');
		const control = generateHistory({ city, seed: 3, start, end: e, factory });
		const injected = generateHistory({ city, seed: 3, start, end: e, factory, clusters: 6 });
		expect(injected.clusters).toHaveLength(6);
		expect(injected.incidents.length).toBe(control.incidents.length + 6 * 8);
		const controlIds = new Set(control.incidents.map((i) => i.id));
		const extra = injected.incidents.filter((i) => !controlIds.has(i.id));
		expect(extra.map((i) => i.id).sort()).toEqual(injected.clusters.flatMap((c) => c.incident_ids).sort());
		const byId = new Map(injected.incidents.map((i) => [i.id, i]));
		for (const c of injected.clusters) {
			expect(c.category).toBe('heating'); // January–February: the heating season
			expect(c.radius_m).toBe(300);
			expect(Date.parse(c.end) - Date.parse(c.start)).toBeLessThanOrEqual(3 * 3_600_000);
			expect(Date.parse(c.start)).toBeGreaterThanOrEqual(start.getTime());
			for (const id of c.incident_ids) {
				const i = byId.get(id)!;
				expect(i.category).toBe(c.category);
				expect(i.district).toBe(c.district);
				expect(distanceM(c.center.lat, c.center.lon, i.lat!, i.lon!)).toBeLessThanOrEqual(300);
				expect(city.districtAt(i.lat!, i.lon!)).toBe(c.district);
			}
		}
	});

	it('take a size, radius, duration and category', () => {
		const h = generateHistory({
			city, seed: 5, start, end: new Date('2024-01-15T00:00:00+07:00'), factory,
			clusters: [{ category: 'water', size: 12, radiusM: 150, durationH: 1, district: 'central' }]
		});
		const [c] = h.clusters;
		expect(c!.size).toBe(12);
		expect(c!.incident_ids).toHaveLength(12);
		expect(c!.district).toBe('central');
		expect(c!.category).toBe('water');
		expect(Date.parse(c!.end) - Date.parse(c!.start)).toBeLessThanOrEqual(3_600_000);
		const byId = new Map(h.incidents.map((i) => [i.id, i]));
		for (const id of c!.incident_ids) expect(distanceM(c!.center.lat, c!.center.lon, byId.get(id)!.lat!, byId.get(id)!.lon!)).toBeLessThanOrEqual(150);
	});
});
