/**
 * Chronic places and repeats at scale: `GET /api/v1/places` timed over real HTTP from the request sent
 * (city and one district, 90 days), the repeat-share query of the Snapshot KPI, the `repeat_of` lookup of
 * one list page (50 ids), and the in-memory repeat lookup at ingest (place key + index, per incident),
 * at 1 M and 10 M incidents a year (`--scales`). Rows are generated in the engine with numbers(): places
 * drawn with a skew (a few addresses get many complaints, most get few), a quarter without an address
 * (a ~30 m cell), ~85 % answered. The floor is a plain count of the period's rows in the same run: what
 * any answer over 90 days must at least read. The answer's parts are timed too (the same query modules the
 * route calls, one after another): ranking the pairs, mapping the ranked hashes to keys, the history.
 */
import { performance } from 'node:perf_hooks';
import type { BenchOptions } from './lib/options.ts';
import { DEFAULTS } from './lib/options.ts';
import { startApp } from '../helpers/app.ts';
import type { Store } from '../../server/store/client.ts';
import { placeKey } from '../../server/places/identity.ts';
import { RepeatIndex } from '../../server/places/repeat-index.ts';
import { queryRepeatShare } from '../../server/places/queries/repeat-share.ts';
import { repeatLinks } from '../../server/places/queries/repeat-links.ts';
import { repeatWindows, type RepeatWindows } from '../../server/places/windows.ts';
import { rankChronicPairs } from '../../server/places/queries/chronic-candidates.ts';
import { chronicPairKeys } from '../../server/places/queries/chronic-pair-keys.ts';
import { chronicCandidates } from '../../server/places/chronic-pairs.ts';
import { queryChronicHistory } from '../../server/places/queries/chronic-history.ts';
import { PLACES_DEFAULT_LIMIT, PLACES_DEFAULT_MIN } from '../../server/places/chronic.ts';

export const title = 'Chronic places and repeats: /api/v1/places, repeat share, repeat_of lookups';

const RUNS = 7;
const YEAR_MS = 365 * 86_400_000;
const CREATED = `fromUnixTimestamp64Milli(toInt64({now_ms:Int64} - cityHash64(number, 1) % {span_ms:UInt64}), 'UTC')`;

/** Place p of n/8: squared uniform → a skew towards low numbers (chronic places), street p % 200, house p / 200. */
const INSERT_INCIDENTS = `
INSERT INTO incidents (id, source, created_at, received_at, category, district, lat, lon, h3, address, text, url, severity, deadline_at, place_key)
SELECT id, 'vk', created_at, created_at, category, district, lat, lon, geoToH3(lat, lon, 9), address, '', '', 2, created_at + INTERVAL 8 HOUR,
	if(address != '', concat('a:улица ', toString(p % 200), '|', toString(intDiv(p, 200))), concat('g:', h3ToString(geoToH3(lat, lon, 11))))
FROM (
	SELECT concat('p-', toString(number)) AS id, ${CREATED} AS created_at,
		toUInt64(pow((cityHash64(number, 2) % 1000000) / 1000000, 2) * {places:UInt64}) AS p,
		['heating', 'water', 'housing', 'roads', 'yard'][1 + cityHash64(p, 3) % 5] AS category,
		['central', 'zheleznodorozhny', 'industrialny', 'leninsky', 'oktyabrsky'][1 + p % 5] AS district,
		53.30 + (cityHash64(p, 5) % 100000) / 100000 * 0.12 AS lat,
		83.60 + (cityHash64(p, 6) % 100000) / 100000 * 0.22 AS lon,
		if(cityHash64(number, 7) % 4 = 0, '', concat('ул. Улица ', toString(p % 200), ', ', toString(intDiv(p, 200)))) AS address
	FROM numbers({n:UInt64})
)`;

const INSERT_EVENTS = `
INSERT INTO incident_events (incident_id, type, at, received_at, executor, comment)
SELECT concat('p-', toString(number)), 'responded', ${CREATED} + toIntervalMinute(10 + cityHash64(number, 10) % 600) AS at, at, 'Комитет ЖКХ', 'Бригада направлена'
FROM numbers({n:UInt64})
WHERE cityHash64(number, 11) % 100 < 85`;

const PAGE = `SELECT id, category, place_key, created_at FROM incidents ORDER BY created_at DESC LIMIT 50`;
const FLOOR = `SELECT count() AS n FROM incidents WHERE created_at > {from:DateTime64(3)} AND place_key NOT IN ('', '-')`;

async function timeIt(f: () => Promise<unknown>): Promise<number> {
	const t = performance.now();
	await f();
	return performance.now() - t;
}

async function medianOf(f: () => Promise<unknown>, runs = RUNS): Promise<number> {
	await f();
	const xs: number[] = [];
	for (let i = 0; i < runs; i++) xs.push(await timeIt(f));
	xs.sort((a, b) => a - b);
	return Math.round(xs[Math.floor(runs / 2)]! * 10) / 10;
}

export async function fill(store: Store, n: number, now: Date): Promise<number> {
	await store.command({ query: 'TRUNCATE TABLE incidents' });
	await store.command({ query: 'TRUNCATE TABLE incident_events' });
	// The view of per-day place counts fills again from the insert below.
	await store.command({ query: 'TRUNCATE TABLE place_days' });
	const params = { n, now_ms: now.getTime(), span_ms: YEAR_MS, places: Math.max(100, Math.round(n / 8)) };
	return timeIt(async () => {
		await store.command({ query: INSERT_INCIDENTS, query_params: params, clickhouse_settings: { log_comment: 'bench.places_fill' } });
		await store.command({ query: INSERT_EVENTS, query_params: params, clickhouse_settings: { log_comment: 'bench.places_fill_events' } });
	});
}

/** Median of each part of the answer the HTTP figure asks for (90 days, the route's defaults), as `chronicPlaces` runs them, in ms. */
async function answerParts(store: Store, windows: RepeatWindows, district: string | null, now: Date, tz: string): Promise<Record<string, number>> {
	const q = { district, category: null, from: new Date(now.getTime() - 90 * 86_400_000), to: now, minCount: PLACES_DEFAULT_MIN, limit: PLACES_DEFAULT_LIMIT };
	const ranked = await rankChronicPairs(store, q);
	const places = await chronicCandidates(store, q);
	return {
		rank_ms: await medianOf(() => rankChronicPairs(store, q)),
		keys_ms: await medianOf(() => chronicPairKeys(store, { ...q, pairs: ranked.map((r) => r.pair) })),
		history_ms: await medianOf(() => queryChronicHistory(store, { district, places, from: q.from, to: q.to, histFrom: q.from, tz }, windows))
	};
}

/** Place key + index lookup per incident, in µs: what the ack path adds (no store round trip). */
function ingestLookupUs(windows: ReturnType<typeof repeatWindows>): { per_incident_us: number; index_size: number } {
	const index = new RepeatIndex(windows);
	const base = Date.now();
	const N = 200_000;
	const rows = Array.from({ length: N }, (_, i) => ({
		id: `x-${i}`,
		category: ['heating', 'water', 'roads'][i % 3]!,
		created_at: new Date(base + i * 1000).toISOString(),
		address: i % 4 === 0 ? '' : `ул. Попова, д. ${i % 5000}${i % 7 === 0 ? 'а' : ''}`,
		lat: 53.3 + (i % 977) / 10_000,
		lon: 83.6 + (i % 1013) / 10_000
	}));
	const t = performance.now();
	for (const r of rows) index.observe({ ...r, place_key: placeKey(r, { cityNames: ['Барнаул'] }) });
	return { per_incident_us: Math.round(((performance.now() - t) / N) * 1000 * 100) / 100, index_size: index.size };
}

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const app = await startApp({ pages: false });
	// The periodic Snapshot and hotspot work would share the engine with what is timed here.
	await app.app.analytics.stop();
	const store = app.store;
	const windows = repeatWindows(app.app.services.city);
	const rows: Record<string, unknown>[] = [];
	const get = async (q: string, token: string) => {
		const res = await fetch(`${app.url}/api/v1/places?${q}`, { headers: { authorization: `Bearer ${token}` } });
		if (res.status !== 200) throw new Error(`/places ${q}: ${res.status} ${await res.text()}`);
		return (await res.json()) as { items: unknown[] };
	};
	try {
		const lookup = ingestLookupUs(windows);
		for (const n of opts.scales) {
			const now = new Date();
			const fillMs = await fill(store, n, now);
			const cityPlaces = await get('days=90', app.tokens.wall);
			const cityMs = await medianOf(() => get('days=90', app.tokens.wall));
			const districtMs = await medianOf(() => get('district=industrialny&days=90', app.tokens.districts.industrialny!));
			const tz = app.app.services.config.tz;
			const cityParts = await answerParts(store, windows, null, now, tz);
			const districtParts = await answerParts(store, windows, 'industrialny', now, tz);
			const shareMs = await medianOf(() => queryRepeatShare(store, now, windows));
			// A list page: the 50 newest rows as the list query read them.
			const page = await store
				.query({ query: PAGE, format: 'JSONEachRow' })
				.then((r) => r.json<{ id: string; category: string; place_key: string; created_at: string }>());
			const linksMs = await medianOf(() => repeatLinks(store, page, null, windows));
			const listMs = await medianOf(() => fetch(`${app.url}/api/v1/incidents?limit=50`, { headers: { authorization: `Bearer ${app.tokens.wall}` } }).then((r) => r.json()));
			const from = new Date(now.getTime() - 90 * 86_400_000).toISOString().replace('T', ' ').replace('Z', '');
			const floorMs = await medianOf(() => store.query({ query: FLOOR, query_params: { from }, format: 'JSONEachRow' }).then((r) => r.json()));
			const warmIndex = new RepeatIndex(windows);
			let warmed = 0;
			const warmMs = await timeIt(async () => (warmed = await warmIndex.warm(store, now)));
			rows.push({
				incidents: n,
				fill_s: Math.round(fillMs / 100) / 10,
				places_city_ms: cityMs,
				places_district_ms: districtMs,
				places_found: cityPlaces.items.length,
				city_rank_ms: cityParts.rank_ms,
				city_keys_ms: cityParts.keys_ms,
				city_history_ms: cityParts.history_ms,
				district_rank_ms: districtParts.rank_ms,
				district_keys_ms: districtParts.keys_ms,
				district_history_ms: districtParts.history_ms,
				floor_count_90d_ms: floorMs,
				repeat_share_ms: shareMs,
				repeat_of_page_ms: linksMs,
				incident_list_http_ms: listMs,
				index_warm_ms: Math.round(warmMs),
				index_warm_entries: warmed
			});
			console.error(`[places] ${n}: ${JSON.stringify(rows[rows.length - 1])}`);
		}
		const at = (n: number) => rows.find((r) => r.incidents === n);
		return {
			sizes: rows,
			ingest_lookup: lookup,
			targets: { places_1m_ms: 100, places_10m_ms: 1000, ingest_lookup_us: 1000 },
			met: {
				places_1m: at(1_000_000) ? Number(at(1_000_000)!.places_city_ms) <= 100 : null,
				places_10m: at(10_000_000) ? Number(at(10_000_000)!.places_city_ms) <= 1000 : null,
				ingest_lookup: lookup.per_incident_us <= 1000
			}
		};
	} finally {
		await app.stop();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const r = await run();
	console.table(r.sizes);
	console.log(JSON.stringify({ bench: 'places', ...r }));
}
