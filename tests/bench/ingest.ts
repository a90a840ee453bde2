/**
 * Sustained ingest over HTTP: several posters send NDJSON batches of 1 000 incidents as fast as the
 * server acknowledges them (a 202 means durable in the local log), for `--ingest-seconds`. Lone
 * single-incident POSTs from a quiet source (one at a time, 50 ms apart) are timed on a nearly empty
 * store, during the sustained run, after it, and while a checkpoint is rebuilt (late data, then a
 * snapshot). In the same run the same number of rows is inserted straight into the engine (no HTTP, no
 * log): the raw figure the sustained rate stands beside.
 */
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { Poster, incidentJson, ndjsonBatch } from './lib/load.ts';
import { distribution, ms, printTable, round, sleep } from './lib/report.ts';
import { startBenchServer, type BenchServer } from './lib/server.ts';
import fs from 'node:fs';
import { tempDir } from '../helpers/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createStore } from '../../server/store/client.ts';
import { migrate } from '../../server/store/migrate.ts';
import { loadCityPack } from '../../server/city/pack.ts';
import { toIncidentRow } from '../../server/ingest/normalize.ts';
import type { IncidentInput } from '../../src/lib/contract/incident.ts';

export const title = 'Sustained ingest over HTTP (NDJSON × 1 000) and lone-POST latency';

const BATCH = 1000;
const POSTERS = 4;
const LONE_POSTS = 200;
/** Pause between lone POSTs: a quiet source, ~20 incidents/s. */
const LONE_GAP_MS = 50;

async function lonePosts(poster: Poster, until?: () => boolean): Promise<{ ms: number[]; failed: number }> {
	const out: number[] = [];
	let failed = 0;
	for (let i = 0; until ? !until() : i < LONE_POSTS; i++) {
		const r = await poster.post(incidentJson().json, 'application/json');
		if (r.status === 202) out.push(ms(r.answeredAt - r.sentAt));
		else failed++;
		await sleep(LONE_GAP_MS);
	}
	return { ms: out, failed };
}

/**
 * Late data (created two days ago) makes the analytics checkpoint stale; the snapshot asked right after
 * rebuilds it. Lone POSTs run until that snapshot has answered (at least 40 of them).
 */
async function duringCheckpoint(server: BenchServer, lonePoster: Poster): Promise<{ lone: { ms: number[]; failed: number }; snapshotMs: number }> {
	const late = Array.from({ length: BATCH }, () => incidentJson(Date.now() - 2 * 86_400_000).json).join('\n');
	await lonePoster.post(late, 'application/x-ndjson');
	const t0 = Date.now();
	let done = false;
	const snap = fetch(`${server.url}/api/v1/snapshot`, { headers: { authorization: `Bearer ${server.wallToken}` } })
		.then((r) => r.text())
		.finally(() => (done = true));
	let n = 0;
	const lone = await lonePosts(lonePoster, () => done && n++ >= 40);
	await snap;
	return { lone, snapshotMs: Date.now() - t0 };
}

/** The same number of rows, normalised beforehand, inserted straight into a fresh embedded engine. */
async function rawInsert(rows: number): Promise<{ rows: number; seconds: number; rowsPerS: number }> {
	const dir = tempDir('mcu-bench-raw-');
	const config = loadConfig({ MCU_DATA_DIR: dir });
	const store = await createStore(config);
	try {
		await migrate(store);
		const city = loadCityPack(config.cityDir, config.tz);
		const now = new Date();
		let seconds = 0;
		for (let done = 0; done < rows; ) {
			const n = Math.min(50_000, rows - done);
			const batch = Array.from({ length: n }, () => toIncidentRow(JSON.parse(incidentJson().json) as IncidentInput, city, now));
			const t0 = process.hrtime.bigint();
			await store.insert({ table: 'incidents', values: batch, format: 'JSONEachRow' });
			seconds += ms(process.hrtime.bigint() - t0) / 1000;
			done += n;
		}
		return { rows, seconds, rowsPerS: rows / Math.max(seconds, 1e-9) };
	} finally {
		await store.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const server = await startBenchServer();
	const poster = new Poster(server.url, server.ingestToken, POSTERS);
	try {
		// Warm-up: JIT, first parts, first merges.
		for (let i = 0; i < 5; i++) await poster.post(ndjsonBatch(BATCH).body, 'application/x-ndjson');
		// Lone POSTs on a nearly empty store first.
		const loneEmpty = await lonePosts(poster);
		const before = await server.metrics();

		const seconds = opts.ingestSeconds;
		const requestMs: number[] = [];
		let accepted = 0;
		let failed = 0;
		const start = process.hrtime.bigint();
		const deadline = start + BigInt(Math.round(seconds * 1e9));
		let lastAck = start;
		// A quiet source posting beside the bulk load: its answers must not wait for the store.
		const lonePoster = new Poster(server.url, server.ingestToken, 1);
		const loneDuringRun = lonePosts(lonePoster, () => process.hrtime.bigint() >= deadline);
		const posterLoop = async () => {
			// Bounded in time; each loop builds its next body while others wait for their answers.
			while (process.hrtime.bigint() < deadline) {
				const { body } = ndjsonBatch(BATCH);
				const r = await poster.post(body, 'application/x-ndjson').catch(() => null);
				if (!r || r.status !== 202) {
					failed++;
					continue;
				}
				accepted += (JSON.parse(r.body) as { accepted: number }).accepted;
				requestMs.push(ms(r.answeredAt - r.sentAt));
				lastAck = r.answeredAt;
			}
		};
		await Promise.all(Array.from({ length: POSTERS }, posterLoop));
		const loneDuring = await loneDuringRun;
		const elapsedS = ms(lastAck - start) / 1000;
		const after = await server.metrics();
		// The server also counted the lone POSTs made beside the bulk load.
		const serverCounted = after.acceptedIncidents - before.acceptedIncidents - loneDuring.ms.length;

		// And again with the sustained run's rows stored, once background merges had a moment.
		await sleep(3000);
		const loneFull = await lonePosts(poster);
		const ckpt = await duringCheckpoint(server, lonePoster);
		lonePoster.close();
		failed += loneEmpty.failed + loneFull.failed + loneDuring.failed + ckpt.lone.failed;
		// The server stops first: its merges and analytics must not share the engine's cores with the raw insert.
		await server.stop();
		const raw = await rawInsert(accepted);

		const rate = accepted / elapsedS;
		const batches = distribution(requestMs, 1);
		const loneA = distribution(loneEmpty.ms, 2);
		const loneB = distribution(loneFull.ms, 2);
		const loneD = distribution(loneDuring.ms, 2);
		const loneC = distribution(ckpt.lone.ms, 2);
		const loneOk = (d: { p99: number | null; max: number | null }) => (d.p99 ?? Infinity) <= 50 && (d.max ?? Infinity) <= 1000;
		printTable(title, [
			{ figure: 'incidents acknowledged', value: accepted },
			{ figure: 'seconds', value: round(elapsedS, 1) },
			{ figure: 'incidents/s (target ≥ 20 000)', value: Math.round(rate) },
			{ figure: `raw engine insert of ${raw.rows} rows, rows/s (same run)`, value: Math.round(raw.rowsPerS) },
			{ figure: 'batch request ms p50 / p99', value: `${batches.p50} / ${batches.p99}` },
			{ figure: 'server counted accepted', value: serverCounted },
			{ figure: 'server CPU s during run', value: round(after.cpuSeconds - before.cpuSeconds, 1) },
			{ figure: 'lone POST ms p50 / p99, empty store (target ≤ 50 added)', value: `${loneA.p50} / ${loneA.p99}` },
			{ figure: 'lone POST ms p50 / p99 / max, during the sustained run', value: `${loneD.p50} / ${loneD.p99} / ${loneD.max}` },
			{ figure: `lone POST ms p50 / p99 / max, ${accepted} stored`, value: `${loneB.p50} / ${loneB.p99} / ${loneB.max}` },
			{ figure: `lone POST ms p50 / p99 / max, checkpoint rebuild (${ckpt.snapshotMs} ms)`, value: `${loneC.p50} / ${loneC.p99} / ${loneC.max}` },
			{ figure: 'failed requests', value: failed }
		]);
		return {
			posters: POSTERS,
			batch: BATCH,
			seconds: round(elapsedS, 1),
			acknowledged: accepted,
			incidents_per_s: Math.round(rate),
			target_per_s: 20_000,
			met: rate >= 20_000,
			server_counted_match: serverCounted === accepted,
			server_cpu_s: round(after.cpuSeconds - before.cpuSeconds, 1),
			batch_request_ms: batches,
			lone_post_ms_empty_store: loneA,
			lone_post_ms_during_run: loneD,
			lone_post_ms_after_run: loneB,
			lone_post_ms_during_checkpoint: loneC,
			checkpoint_snapshot_ms: ckpt.snapshotMs,
			lone_target_met: [loneA, loneD, loneB, loneC].every(loneOk),
			raw_engine_insert: { rows: raw.rows, rows_per_s: Math.round(raw.rowsPerS), seconds: round(raw.seconds, 2) },
			http_to_raw_ratio: round(rate / raw.rowsPerS, 2),
			failed_requests: failed
		};
	} finally {
		poster.close();
		await server.stop();
	}
}
