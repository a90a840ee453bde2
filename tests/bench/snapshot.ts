/**
 * Snapshot query time at 1 M and 10 M incidents: the product's own snapshot queries in the embedded
 * ClickHouse, and the same questions in PostgreSQL 15 on the same rows (COPY from a CSV the engine wrote),
 * with the ratio PG / CH per part and scope. Both answers are compared, so the ratio is between equals.
 * Also the whole `createAnalytics(...).snapshot(scope)` (every Snapshot part, the feed and hotspots).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createStore, type Store } from '../../server/store/client.ts';
import { migrate } from '../../server/store/migrate.ts';
import { loadCityPack } from '../../server/city/pack.ts';
import { createAnalytics } from '../../server/analytics/index.ts';
import { boundaries, type Boundaries } from '../../server/analytics/time.ts';
import { queryKpis } from '../../server/analytics/queries/kpis.ts';
import { queryDistricts } from '../../server/analytics/queries/districts.ts';
import { queryResponseDaily } from '../../server/analytics/queries/response-daily.ts';
import { queryHourly } from '../../server/analytics/queries/hourly.ts';
import { queryWeekCategories } from '../../server/analytics/queries/week-categories.ts';
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { DATASET_NOW, countRows, exportCsv, grow } from './lib/dataset.ts';
import { ensurePostgres, startPostgres, type PgServer } from './lib/pg.ts';
import { SCHEMA, loadCsv, pgParams, runPgPart, type Part } from './lib/pg-snapshot.ts';
import { sameRows } from './lib/compare.ts';
import { median, printTable, round } from './lib/report.ts';

export const title = 'Snapshot queries at 1 M / 10 M incidents: ClickHouse (chDB) vs PostgreSQL 15';

const PARTS: Part[] = ['kpis', 'districts', 'response_daily', 'hourly', 'week_categories'];
const SCOPES = [null, 'industrialny'] as const;

function chPart(store: Store, part: Part, b: Boundaries, tz: string, district: string | null): Promise<unknown> {
	switch (part) {
		case 'kpis':
			return queryKpis(store, b, tz, district).then((r) => [r]);
		case 'districts':
			return queryDistricts(store, b, district);
		case 'response_daily':
			return queryResponseDaily(store, b, tz, district);
		case 'hourly':
			return queryHourly(store, b, district);
		case 'week_categories':
			return queryWeekCategories(store, b, district);
	}
}

/**
 * One untimed warm-up, then the median of 3. A query whose first run took over 3 s is CPU-bound, not
 * cache-bound: that run is its figure (it keeps the 10 M run of the suite within its time).
 */
async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; result: T }> {
	let t = performance.now();
	let result = await f();
	const warm = performance.now() - t;
	if (warm > 3000) return { ms: warm, result };
	const xs: number[] = [];
	for (let i = 0; i < 3; i++) {
		t = performance.now();
		result = await f();
		xs.push(performance.now() - t);
	}
	return { ms: median(xs), result };
}

const label = (n: number) => (n >= 1e6 ? `${round(n / 1e6, 1)}M` : `${round(n / 1e3, 1)}k`);

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcu-bench-snapshot-'));
	const config = loadConfig({ MCU_DATA_DIR: dir, MCU_DEMO: '0', MCU_REPORTS: '0' });
	const store = await createStore(config);
	await migrate(store);
	const city = loadCityPack(config.cityDir, config.tz);
	const tz = config.tz;
	const b = boundaries(DATASET_NOW, tz);
	let pgServer: PgServer | null = null;
	let pgNote = 'on';
	if (opts.noPostgres) pgNote = 'skipped (--no-postgres)';
	else if (!ensurePostgres()) pgNote = 'not installed (apt-get install -y postgresql)';
	else {
		pgServer = await startPostgres();
		await pgServer.client.query(SCHEMA);
	}
	const out: Record<string, unknown> = { dataset_now: DATASET_NOW.toISOString(), postgres: pgServer ? pgServer.version.split(' on ')[0] : pgNote };
	const partRows: Record<string, unknown>[] = [];
	const loadRows: Record<string, unknown>[] = [];
	try {
		let have = 0;
		for (const n of [...opts.scales].sort((x, y) => x - y)) {
			const scale: Record<string, unknown> = {};
			let t = performance.now();
			await grow(store, have, n);
			have = n;
			const counts = await countRows(store);
			const load: Record<string, unknown> = { scale: label(n), incidents: counts.incidents, events: counts.events, 'CH generate+merge s': round((performance.now() - t) / 1000, 1) };
			if (pgServer) {
				const files = { incidents: path.join(pgServer.shareDir, 'incidents.csv'), events: path.join(pgServer.shareDir, 'events.csv') };
				t = performance.now();
				await exportCsv(store, files);
				load['CSV export s'] = round((performance.now() - t) / 1000, 1);
				const pgLoad = await loadCsv(pgServer.client, files);
				load['PG COPY s'] = round(pgLoad.copyMs / 1000, 1);
				load['PG index+analyze s'] = round(pgLoad.indexMs / 1000, 1);
				for (const f of Object.values(files)) fs.rmSync(f, { force: true });
				const size = await pgServer.client.query<{ mb: string }>(
					"SELECT round((pg_total_relation_size('incidents') + pg_total_relation_size('incident_events')) / 1048576.0) AS mb"
				);
				load['PG size MB'] = Number(size.rows[0]!.mb);
			}
			load['CH size MB'] = await chSizeMb(store);
			loadRows.push(load);
			scale.load = load;

			let chTotal = 0;
			let pgTotal = 0;
			let allMatch = true;
			for (const district of SCOPES) {
				for (const part of PARTS) {
					const ch = await timed(() => chPart(store, part, b, tz, district));
					const row: Record<string, unknown> = { scale: label(n), scope: district ?? 'city', part, 'CH ms': round(ch.ms, 1) };
					chTotal += ch.ms;
					if (pgServer) {
						const client = pgServer.client;
						const pgr = await timed(() => runPgPart(client, part, pgParams(b, tz, district)));
						const match = sameRows(ch.result as Record<string, unknown>[], pgr.result);
						allMatch &&= match;
						pgTotal += pgr.ms;
						Object.assign(row, { 'PG ms': round(pgr.ms, 1), 'PG/CH': round(pgr.ms / ch.ms, 1), 'same answer': match });
					}
					partRows.push(row);
				}
			}
			scale.parts_total_ms = { clickhouse: round(chTotal, 1), ...(pgServer ? { postgres: round(pgTotal, 1), ratio_pg_ch: round(pgTotal / chTotal, 1), same_answers: allMatch } : {}) };

			// The product's whole snapshot (all parts + feed + hotspots), through its analytics module; its
			// 1 s snapshot cache off, so each call does the work (the first also builds what later ones reuse).
			const publisher = { aggregates() {}, hotspots() {}, hotspotAlert() {} };
			const analytics = createAnalytics({ store, city, config, publisher, now: () => DATASET_NOW, timing: { snapshotCacheMs: 0 } });
			t = performance.now();
			await analytics.snapshot({ district: null });
			const firstMs = performance.now() - t;
			const cityMs = (await timed(() => analytics.snapshot({ district: null }))).ms;
			const districtMs = (await timed(() => analytics.snapshot({ district: 'industrialny' }))).ms;
			await analytics.stop();
			scale.analytics_snapshot_ms = { first_with_hotspots: Math.round(firstMs), city: round(cityMs, 1), district: round(districtMs, 1) };
			out[label(n)] = scale;
			console.log(`[snapshot] ${label(n)} done: ${JSON.stringify(scale.parts_total_ms)}`);
		}
		printTable(`${title}: data`, loadRows);
		printTable(`${title}: median ms per query (warm)`, partRows);
		printTable(
			'Whole snapshot through createAnalytics().snapshot(), ClickHouse, ms',
			Object.entries(out)
				.filter(([, v]) => typeof v === 'object' && v !== null && 'analytics_snapshot_ms' in v)
				.map(([k, v]) => ({ scale: k, ...((v as { analytics_snapshot_ms: Record<string, unknown> }).analytics_snapshot_ms) }))
		);
		if (pgServer) out.postgres_settings = Object.entries(pgServer.settings).map(([k, v]) => `${k}=${v}`).join(' ');
		return out;
	} finally {
		await pgServer?.stop();
		await store.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

async function chSizeMb(store: Store): Promise<number> {
	const r = await store.query({
		query: "SELECT sum(bytes_on_disk) AS b FROM system.parts WHERE active AND database = currentDatabase() AND table IN ('incidents', 'incident_events')",
		format: 'JSONEachRow',
		clickhouse_settings: { log_comment: 'bench.size' }
	});
	return Math.round(Number((await r.json<{ b: string }>())[0]!.b) / 1048576);
}
