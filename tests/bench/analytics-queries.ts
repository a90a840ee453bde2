/**
 * Query benchmark: the time to build a Snapshot (city scope and one district scope) and one hotspot
 * run, for a year of Barnaul (~11 000 incidents), 1 M and 10 M incidents (a region, a country).
 * Rows are generated inside the engine with numbers() (deterministic hashes, one year back from now,
 * ~85 % answered, half resolved). Each figure is the median of 7 warm runs, computed every time
 * (snapshot cache off); `first_snapshot_ms` includes building the first analytics checkpoint, and
 * `snapshot_cached_ms` is a repeat within the cache window (no ingest in between).
 * Run: node --import tsx tests/bench/analytics-queries.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createStore, type Store } from '../../server/store/client.ts';
import { migrate } from '../../server/store/migrate.ts';
import { loadCityPack } from '../../server/city/pack.ts';
import { createAnalytics } from '../../server/analytics/index.ts';
import { HotspotEngine } from '../../server/analytics/hotspots/engine.ts';
import { HOTSPOT_PARAMS } from '../../server/analytics/hotspots/params.ts';
import { chTime } from '../../server/analytics/time.ts';

const SIZES = [11_000, 1_000_000, 10_000_000];
const RUNS = 7;
const YEAR_MS = 365 * 86_400_000;

// created_at: spread over the year before {now}; the same expression in both inserts
const CREATED = `fromUnixTimestamp64Milli(toInt64({now_ms:Int64} - cityHash64(number, 1) % {span_ms:UInt64}), 'UTC')`;

const INSERT_INCIDENTS = `
INSERT INTO incidents (id, source, created_at, received_at, category, district, lat, lon, h3, address, text, url, severity, deadline_at)
SELECT id, source, created_at, created_at, category, district, lat, lon, geoToH3(lat, lon, 9), address, text, '', severity, created_at + INTERVAL 8 HOUR
FROM (
	SELECT
		concat('b-', toString(number)) AS id,
		['vk', 'ok', 'telegram', 'feedback_platform', 'forum', 'media'][1 + cityHash64(number, 2) % 6] AS source,
		${CREATED} AS created_at,
		['heating', 'water', 'housing', 'roads', 'snow', 'yard', 'lighting', 'waste', 'transport', 'health', 'education', 'social', 'ecology', 'safety', 'other'][1 + cityHash64(number, 3) % 15] AS category,
		['central', 'zheleznodorozhny', 'industrialny', 'leninsky', 'oktyabrsky'][1 + cityHash64(number, 4) % 5] AS district,
		53.30 + (cityHash64(number, 5) % 100000) / 100000 * 0.12 AS lat,
		83.60 + (cityHash64(number, 6) % 100000) / 100000 * 0.22 AS lon,
		concat('ул. Тестовая, ', toString(cityHash64(number, 7) % 500)) AS address,
		'Обращение жителя: нет отопления в подъезде, просим разобраться' AS text,
		toUInt8(1 + cityHash64(number, 8) % 5) AS severity
	FROM numbers({n:UInt64})
)`;

const INSERT_EVENTS = `
INSERT INTO incident_events (incident_id, type, at, received_at, executor, comment)
SELECT concat('b-', toString(number)), arrayJoin(if(cityHash64(number, 9) % 2 = 0, ['responded', 'resolved'], ['responded'])) AS type,
	${CREATED} + toIntervalMinute(10 + cityHash64(number, 10) % 600 + if(type = 'resolved', 2000, 0)) AS at, at, 'Комитет', ''
FROM numbers({n:UInt64})
WHERE cityHash64(number, 11) % 100 < 85`;

async function timeIt(f: () => Promise<unknown>): Promise<number> {
	const t = performance.now();
	await f();
	return performance.now() - t;
}

async function medianOf(f: () => Promise<unknown>): Promise<number> {
	await f();
	const xs: number[] = [];
	for (let i = 0; i < RUNS; i++) xs.push(await timeIt(f));
	xs.sort((a, b) => a - b);
	return Math.round(xs[Math.floor(RUNS / 2)]! * 10) / 10;
}

export async function fill(store: Store, n: number, now: Date): Promise<number> {
	await store.command({ query: 'TRUNCATE TABLE incidents' });
	await store.command({ query: 'TRUNCATE TABLE incident_events' });
	const params = { n, now_ms: now.getTime(), span_ms: YEAR_MS };
	return timeIt(async () => {
		await store.command({ query: INSERT_INCIDENTS, query_params: params, clickhouse_settings: { log_comment: 'bench.fill_incidents' } });
		await store.command({ query: INSERT_EVENTS, query_params: params, clickhouse_settings: { log_comment: 'bench.fill_events' } });
		await store.command({ query: 'OPTIMIZE TABLE incidents FINAL' });
	});
}

export async function run(): Promise<Record<string, unknown>> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcu-bench-queries-'));
	const config = loadConfig({ MCU_DATA_DIR: dir, MCU_DEMO: '0' });
	const store = await createStore(config);
	await migrate(store);
	const city = loadCityPack(config.cityDir, config.tz);
	const now = new Date('2024-03-11T03:30:00Z');
	const publisher = { aggregates() {}, hotspots() {}, hotspotAlert() {} };
	const rows: Record<string, unknown>[] = [];
	try {
		for (const n of SIZES) {
			const fillMs = await fill(store, n, now);
			const analytics = createAnalytics({ store, city, config, publisher, now: () => now, timing: { snapshotCacheMs: 0 } });
			const first = await timeIt(() => analytics.snapshot({ district: null }));
			const cityMs = await medianOf(() => analytics.snapshot({ district: null }));
			const districtMs = await medianOf(() => analytics.snapshot({ district: 'industrialny' }));
			const cachedAnalytics = createAnalytics({ store, city, config, publisher, now: () => now });
			const cachedMs = await medianOf(() => cachedAnalytics.snapshot({ district: null }));
			await cachedAnalytics.stop();
			const engine = new HotspotEngine(store, config.tz, HOTSPOT_PARAMS);
			const baselineMs = await timeIt(() => engine.run(now));
			const hotspotMs = await medianOf(() => engine.run(now));
			await analytics.stop();
			rows.push({
				incidents: n,
				fill_s: Math.round(fillMs / 100) / 10,
				snapshot_city_ms: cityMs,
				snapshot_district_ms: districtMs,
				snapshot_cached_ms: cachedMs,
				first_snapshot_ms: Math.round(first),
				hotspot_run_ms: hotspotMs,
				hotspot_baseline_reload_ms: Math.round(baselineMs)
			});
			console.error(`[analytics-queries] ${n}: ${JSON.stringify(rows[rows.length - 1])} (${chTime(now)})`);
		}
	} finally {
		await store.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
	const at = (n: number) => rows.find((r) => r.incidents === n)!;
	return {
		sizes: rows,
		targets: { barnaul_year_ms: 50, ten_million_ms: 1000 },
		met: {
			barnaul_year: Number(at(11_000).snapshot_city_ms) <= 50,
			ten_million: Number(at(10_000_000).snapshot_city_ms) <= 1000
		}
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const r = await run();
	console.table(r.sizes);
	console.log(JSON.stringify({ bench: 'analytics-queries', ...r }));
}
