/**
 * The per-day counts of chronic places (`place_days`, migration 041) against the raw incidents, through
 * the real engine: a randomised year of incidents at a few places (address variants, location-only, no
 * place), posted over HTTP in shuffled batches with replays, duplicates inside a batch, late data and
 * events before their incidents; then the table must equal a GROUP BY over `incidents`, and the ranked
 * candidates must equal the plain string-keyed count for every scope, category, period (edges at and
 * around UTC midnight), threshold and limit tried — including when two pairs share a hash.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentInput } from '../../src/lib/contract/incident.ts';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { DISTRICT_POINTS } from '../helpers/incidents.ts';
import { Rng } from '../../server/simulate/random.ts';
import { chronicCandidates } from '../../server/places/chronic-pairs.ts';
import { queryChronicCandidatesExact } from '../../server/places/queries/chronic-candidates-exact.ts';
import { chronicPlaces } from '../../server/places/chronic.ts';
import { queryChronicHistory } from '../../server/places/queries/chronic-history.ts';
import { DEFAULT_REPEAT_WINDOWS } from '../../server/places/windows.ts';
import { wholeDays } from '../../server/places/whole-days.ts';
import { chTime } from '../../server/store/time.ts';
import { perDayBothWays } from './support/place-days.ts';

const DAY = 86_400_000;
const T = Date.now();
const run = `pd${process.pid}`;
const rng = new Rng(41);

const STREETS = [
	['ул. Попова, 104а', 'Попова улица 104 А', 'г. Барнаул, ул Попова д104а, кв 5'],
	['пр-т Ленина, 5', 'проспект Ленина, д. 5', 'Ленина 5'],
	['ул. Юрина, 10'],
	['ул. Ползунова, 1', 'Ползунова ул., 1'],
	['ул. Малахова, 77'],
	['ул. Антона Петрова, 220', 'Антона Петрова 220']
];
const DISTRICTS = ['industrialny', 'central', 'leninsky'] as const;
const CATEGORIES = ['heating', 'water', 'snow', 'roads'] as const;

/** A place: an address (with variants), a point without an address, or nothing. */
function placeFields(i: number): Partial<IncidentInput> {
	if (i < STREETS.length) {
		const v = STREETS[i]!;
		return { address: v[rng.int(0, v.length - 1)]! };
	}
	if (i < STREETS.length + 4) {
		const p = DISTRICT_POINTS[DISTRICTS[i % 3]!]!;
		return { lat: p.lat + (i - STREETS.length) * 0.003 + rng.next() * 0.00002, lon: p.lon };
	}
	return {};
}

/** Days ago: mostly uniform over 400 days, some exactly at (or a millisecond around) a UTC midnight. */
function createdAt(): string {
	const midnight = (Math.floor(T / DAY) - rng.int(0, 100)) * DAY;
	const t = rng.chance(0.15) ? midnight + [-1, 0, 1][rng.int(0, 2)]! : T - Math.floor(rng.next() * 400 * DAY);
	return new Date(Math.min(t, T - 1000)).toISOString();
}

const incidents: IncidentInput[] = Array.from({ length: 1500 }, (_, n) => {
	const place = Math.floor(rng.next() ** 2 * (STREETS.length + 6));
	return {
		id: `${run}-${n}`,
		source: 'vk',
		created_at: createdAt(),
		// A place mostly has one or two problems, and sits in one district (sometimes attributed to another).
		category: CATEGORIES[(place + (rng.chance(0.2) ? rng.int(1, 3) : 0)) % CATEGORIES.length]!,
		district: DISTRICTS[(place + (rng.chance(0.1) ? 1 : 0)) % DISTRICTS.length]!,
		text: 'Снова то же самое',
		...placeFields(place)
	} as IncidentInput;
});

function shuffled<X>(xs: readonly X[]): X[] {
	const a = [...xs];
	for (let i = a.length - 1; i > 0; i--) {
		const j = rng.int(0, i);
		[a[i], a[j]] = [a[j]!, a[i]!];
	}
	return a;
}

let app: StartedApp;

beforeAll(async () => {
	app = await startApp({ pages: false });
	// The Snapshot's background work has nothing to do with these counts; a year of late data only makes it churn.
	await app.app.analytics.stop();
	const ingest = app.tokens.ingest;
	const answered = incidents.filter(() => rng.chance(0.6));
	const events = answered.map((x) => ({
		incident_id: x.id,
		type: 'responded',
		at: new Date(Math.min(Date.parse(x.created_at) + rng.int(1, 72) * 3_600_000, T - 500)).toISOString(),
		executor: ['Комитет ЖКХ', 'УК «Центр»'][rng.int(0, 1)],
		comment: 'Ответ дан'
	}));
	// Events first for some incidents (kept until their incident arrives), in shuffled batches.
	const order = shuffled(incidents);
	const sent: IncidentInput[] = [];
	expect((await post(`${app.url}/api/v1/events`, ingest, events.slice(0, 200))).status).toBe(202);
	for (let i = 0; i < order.length; ) {
		const size = rng.int(20, 200);
		const batch = order.slice(i, i + size);
		i += size;
		// A replay of rows already sent, and a duplicate inside the batch itself.
		const replay = sent.length > 0 ? shuffled(sent).slice(0, rng.int(0, 30)) : [];
		const body = [...batch, ...replay, ...(batch.length > 1 ? [batch[0]!] : [])];
		const r = await post(`${app.url}/api/v1/incidents`, ingest, body);
		expect(r.status).toBe(202);
		expect(r.body.accepted).toBe(batch.length);
		sent.push(...batch);
		// Now and then let the store catch up, so inserts land in many parts in any order.
		if (rng.chance(0.3)) await app.pipeline.drain();
	}
	expect((await post(`${app.url}/api/v1/events`, ingest, events.slice(200))).status).toBe(202);
	// The whole data set again, as an import of history would send it: all duplicates.
	const again = await post(`${app.url}/api/v1/incidents`, ingest, incidents.slice(0, 1000));
	expect(again.body).toEqual({ accepted: 0, duplicates: 1000 });
	await app.pipeline.drain();
}, 120_000);

afterAll(async () => {
	await app?.stop();
});

describe('place_days', () => {
	it('holds exactly the counts of the stored incidents per place, category, district and day', async () => {
		const stored = await app.store.query({ query: `SELECT count() AS n, countIf(place_key NOT IN ('', '-')) AS placed FROM incidents`, format: 'JSONEachRow' });
		const { n, placed } = (await stored.json<{ n: string; placed: string }>())[0]!;
		expect(Number(n)).toBe(incidents.length);
		const { table, raw } = await perDayBothWays(app.store);
		expect(raw.length).toBeGreaterThan(100);
		expect(table).toEqual(raw);
		expect(table.reduce((s, row) => s + Number(row.split('\t')[5]), 0)).toBe(Number(placed));
	});

	it('is not counted twice when the engine drops a retried insert by its deduplication token', async () => {
		const row = { id: `${run}-retry`, source: 'vk', created_at: '2025-06-01 10:00:00.000', received_at: '2025-06-01 10:00:00.000', category: 'water',
			district: 'central', address: 'ул. Юрина, 10', place_key: 'a:юрина|10', deadline_at: '2025-06-01 18:00:00.000' };
		for (let i = 0; i < 2; i++) {
			await app.store.insert({ table: 'incidents', values: [row], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: `${run}-retry` } });
		}
		const r = await app.store.query({
			query: `SELECT (SELECT count() FROM incidents WHERE id = {id:String}) AS stored, (SELECT sum(n) FROM place_days WHERE day = '2025-06-01' AND place_key = 'a:юрина|10' AND category = 'water') AS counted`,
			query_params: { id: row.id },
			format: 'JSONEachRow'
		});
		expect(await r.json()).toEqual([{ stored: '1', counted: '1' }]);
	});
});

describe('chronic candidates over place_days', () => {
	const midnight = Math.floor(T / DAY) * DAY;
	const ends = [T, midnight, midnight + 1, midnight - 1, midnight - 37 * DAY + 12_345];
	const cases = ends.flatMap((to) =>
		[1, 2, 7, 30, 90, 366].flatMap((days) =>
			[null, 'industrialny'].flatMap((district) => [null, 'heating'].map((category) => ({ to, days, district, category, min: rng.int(2, 5), limit: rng.int(1, 8) })))
		)
	);

	it('splits a period into whole UTC days and its edges', () => {
		expect(wholeDays(new Date('2025-03-01T10:00:00Z'), new Date('2025-03-04T00:00:00Z'))).toMatchObject({ lo: '2025-03-02', hi: '2025-03-04' });
		// from at midnight: that day still misses its first instant, so it is an edge
		expect(wholeDays(new Date('2025-03-01T00:00:00Z'), new Date('2025-03-02T23:59:59Z'))).toMatchObject({ lo: '2025-03-02', hi: '2025-03-02' });
		expect(wholeDays(new Date('2025-03-01T05:00:00Z'), new Date('2025-03-01T06:00:00Z'))).toMatchObject({ lo: '2025-03-02', hi: '2025-03-01' });
	});

	it('equal the plain count for every scope, category, period, threshold and limit', async () => {
		let nonEmpty = 0;
		for (const c of cases) {
			const q = { district: c.district, category: c.category, from: new Date(c.to - c.days * DAY), to: new Date(c.to), minCount: c.min, limit: c.limit };
			const exact = await queryChronicCandidatesExact(app.store, q);
			expect(await chronicCandidates(app.store, q), JSON.stringify(c)).toEqual(exact);
			if (exact.length > 0) nonEmpty++;
		}
		expect(nonEmpty).toBeGreaterThan(cases.length / 2);
	});

	it('give the same chronic places as the plain count, history and all', async () => {
		const r = { district: null, category: null, days: 366, minCount: 2, limit: 50, now: new Date(T) };
		const got = await chronicPlaces(app.store, 'Asia/Barnaul', DEFAULT_REPEAT_WINDOWS, r);
		const exact = await queryChronicCandidatesExact(app.store, { ...r, from: new Date(T - 366 * DAY), to: new Date(T) });
		expect(got.items.length).toBe(Math.min(50, exact.length));
		expect(new Set(got.items.map((p) => `${p.place_key} ${p.category} ${p.count}`))).toEqual(new Set(exact.map((p) => `${p.place_key} ${p.category} ${p.n}`)));
	});

	it('read each asked pair\'s history alone, whatever other pairs of the same places are asked with it', async () => {
		const from = new Date(T - 366 * DAY);
		const to = new Date(T);
		const places = await queryChronicCandidatesExact(app.store, { district: null, category: null, from, to, minCount: 2, limit: 40 });
		// Asked together, the pairs' two key sets also take in other categories of the same places.
		expect(new Set(places.map((p) => p.place_key)).size).toBeLessThan(places.length);
		const q = { district: null, from, to, histFrom: from, tz: 'Asia/Barnaul' };
		const together = await queryChronicHistory(app.store, { ...q, places }, DEFAULT_REPEAT_WINDOWS);
		const alone = (await Promise.all(places.map((p) => queryChronicHistory(app.store, { ...q, places: [p] }, DEFAULT_REPEAT_WINDOWS)))).flat();
		const byPair = (rows: typeof together) => rows.map((r) => ({ ...r, months: [...r.months].sort() })).sort((a, b) => `${a.place_key} ${a.category}`.localeCompare(`${b.place_key} ${b.category}`));
		expect(together).toHaveLength(places.length);
		expect(byPair(together)).toEqual(byPair(alone));
	});

	// A row of another pair under a ranked pair's hash, as a collision would leave it (never in `incidents`):
	// another place and category, the same place in another category, another place in the same category.
	// Each case has a 90-day period of its own, so the rows of one never reach another.
	const collisions = [
		{ name: 'another place and category', key: () => 'a:коллизия|1', cat: () => 'roads' },
		{ name: 'the same place, another category', key: (p: { place_key: string }) => p.place_key, cat: (p: { category: string }) => (p.category === 'roads' ? 'water' : 'roads') },
		{ name: 'another place, the same category', key: () => 'a:коллизия|2', cat: (p: { category: string }) => p.category }
	].map((c, i) => ({ ...c, to: T - i * 91 * DAY }));
	it.each(collisions)('fall back to the plain count when two ranked pairs share a hash: $name', async ({ key, cat, to }) => {
		const q = { district: null, category: null, from: new Date(to - 90 * DAY), to: new Date(to), minCount: 2, limit: 3 };
		const exact = await queryChronicCandidatesExact(app.store, q);
		expect(exact.length).toBe(3);
		const top = exact[0]!;
		await app.store.command({
			query: `INSERT INTO place_days (day, district, pair, category, place_key, n, latest)
				SELECT {day:Date}, 'industrialny', cityHash64({key:String}, {cat:String}), {category:String}, {place_key:String}, 500, {latest:DateTime64(3)}`,
			query_params: {
				day: new Date(to - 10 * DAY).toISOString().slice(0, 10),
				latest: chTime(new Date(to - 10 * DAY)),
				key: top.place_key,
				cat: top.category,
				place_key: key(top),
				category: cat(top)
			}
		});
		// Merged by the hash, the top pair would count 500 more; the plain count never sees the row.
		expect(await chronicCandidates(app.store, q)).toEqual(exact);
	});
});
