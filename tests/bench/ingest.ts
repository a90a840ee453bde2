/**
 * Sustained ingest over HTTP: several posters send NDJSON batches of 1 000 incidents as fast as the
 * server acknowledges them (a 202 means stored durably), for `--ingest-seconds`. Around it, lone
 * single-incident POSTs from a quiet source (one at a time, 50 ms apart), on a nearly empty store and
 * again with the run's rows stored: their latency includes whatever micro-batching adds.
 */
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { Poster, incidentJson, ndjsonBatch } from './lib/load.ts';
import { distribution, ms, printTable, round, sleep } from './lib/report.ts';
import { startBenchServer } from './lib/server.ts';

export const title = 'Sustained ingest over HTTP (NDJSON × 1 000) and lone-POST latency';

const BATCH = 1000;
const POSTERS = 4;
const LONE_POSTS = 200;
/** Pause between lone POSTs: a quiet source, ~20 incidents/s. */
const LONE_GAP_MS = 50;

async function lonePosts(poster: Poster): Promise<{ ms: number[]; failed: number }> {
	const out: number[] = [];
	let failed = 0;
	for (let i = 0; i < LONE_POSTS; i++) {
		const r = await poster.post(incidentJson().json, 'application/json');
		if (r.status === 202) out.push(ms(r.answeredAt - r.sentAt));
		else failed++;
		await sleep(LONE_GAP_MS);
	}
	return { ms: out, failed };
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
		const elapsedS = ms(lastAck - start) / 1000;
		const after = await server.metrics();
		const serverCounted = after.acceptedIncidents - before.acceptedIncidents;

		// And again with the sustained run's rows stored, once background merges had a moment.
		await sleep(3000);
		const loneFull = await lonePosts(poster);
		failed += loneEmpty.failed + loneFull.failed;

		const rate = accepted / elapsedS;
		const batches = distribution(requestMs, 1);
		const loneA = distribution(loneEmpty.ms, 2);
		const loneB = distribution(loneFull.ms, 2);
		printTable(title, [
			{ figure: 'incidents acknowledged', value: accepted },
			{ figure: 'seconds', value: round(elapsedS, 1) },
			{ figure: 'incidents/s (target ≥ 20 000)', value: Math.round(rate) },
			{ figure: 'batch request ms p50 / p99', value: `${batches.p50} / ${batches.p99}` },
			{ figure: 'server counted accepted', value: serverCounted },
			{ figure: 'server CPU s during run', value: round(after.cpuSeconds - before.cpuSeconds, 1) },
			{ figure: 'lone POST ms p50 / p99, empty store (target ≤ 50 added)', value: `${loneA.p50} / ${loneA.p99}` },
			{ figure: `lone POST ms p50 / p99, ${accepted} stored`, value: `${loneB.p50} / ${loneB.p99}` },
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
			lone_post_ms_after_run: loneB,
			lone_target_met: (loneA.p99 ?? Infinity) <= 50,
			failed_requests: failed
		};
	} finally {
		poster.close();
		await server.stop();
	}
}
