/**
 * The demo simulator's repeats: a share of answered problems come back to the same place, written in
 * another resident's words, so the demo has repeats and chronic places to show. Counted here with the
 * product's own place identity, but the repeat rule is re-derived in plain code (sort by place,
 * category and time), not through the product's queries.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCityPack } from '../../server/city/pack.ts';
import { generateHistory, type History } from '../../server/simulate/history.ts';
import { placeKey } from '../../server/places/identity.ts';

const city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
const DAY = 86_400_000;
let year: History;
let repeats: { id: string; prev: string; category: string }[];
const byId = new Map<string, History['incidents'][number]>();

beforeAll(() => {
	year = generateHistory({ city, seed: 11, start: new Date('2024-01-01T00:00:00+07:00'), end: new Date('2025-01-01T00:00:00+07:00') });
	const last = new Map<string, { id: string; at: number }>();
	repeats = [];
	for (const i of year.incidents) {
		byId.set(i.id, i);
		const key = placeKey(i, { cityNames: [city.name] });
		if (key === '-') continue;
		const k = `${key}|${i.category}`;
		const at = Date.parse(i.created_at);
		const prev = last.get(k);
		if (prev && at > prev.at && at - prev.at <= city.repeatWindowDays(i.category) * DAY) repeats.push({ id: i.id, prev: prev.id, category: i.category });
		last.set(k, { id: i.id, at });
	}
});

describe('simulated repeats', () => {
	it('make a realistic share of repeats, mostly in housing and utilities', () => {
		const share = repeats.length / year.incidents.length;
		expect(share).toBeGreaterThan(0.04);
		expect(share).toBeLessThan(0.2);
		const utilities = repeats.filter((r) => ['heating', 'water', 'housing'].includes(r.category)).length;
		const allUtilities = year.incidents.filter((i) => ['heating', 'water', 'housing'].includes(i.category)).length;
		expect(utilities / allUtilities).toBeGreaterThan(share);
	});

	it('come back after an answer, often spelled another way', () => {
		const answered = new Map<string, number>();
		for (const e of year.events) if (e.type === 'responded' && !answered.has(e.incident_id)) answered.set(e.incident_id, Date.parse(e.at));
		const afterAnswer = repeats.filter((r) => (answered.get(r.prev) ?? Infinity) < Date.parse(byId.get(r.id)!.created_at));
		expect(afterAnswer.length / repeats.length).toBeGreaterThan(0.6);
		const respelled = repeats.filter((r) => byId.get(r.id)!.address !== byId.get(r.prev)!.address);
		expect(respelled.length).toBeGreaterThan(repeats.length * 0.3);
	});
});
