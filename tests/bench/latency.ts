/**
 * Ingest-ack → socket latency: N wall clients connected (in their own process), single incidents posted
 * at a fixed rate; for every (incident, client) pair, the time from the 202 reaching the poster to the
 * `incident` event reaching the client, on the same monotonic clock. Two loads: 100 clients at
 * 100 incidents/s and 1 000 clients at 200 incidents/s.
 */
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { Poster, pacedSingles } from './lib/load.ts';
import { startClients } from './lib/clients.ts';
import { printTable, round, sleep } from './lib/report.ts';
import { startBenchServer } from './lib/server.ts';

export const title = 'Ingest-ack → socket latency (100 × 100/s, 1 000 × 200/s)';

const LOADS = [
	{ clients: 100, rate: 100 },
	{ clients: 1000, rate: 200 }
];

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const seconds = opts.quick ? 5 : 15;
	const server = await startBenchServer();
	const poster = new Poster(server.url, server.ingestToken, 64);
	const rows: Record<string, unknown>[] = [];
	const out: Record<string, unknown> = { seconds_per_load: seconds };
	try {
		for (const load of LOADS) {
			const clients = await startClients(server.url, server.wallToken, load.clients);
			try {
				// Let the snapshots of the connect wave and the first aggregates settle.
				await sleep(2000);
				const before = await server.metrics();
				const t0 = Date.now();
				const { acks, failed } = await pacedSingles(poster, load.rate, seconds);
				const after = await server.metrics();
				const wallS = (Date.now() - t0) / 1000;
				// Stragglers: give the slowest client a moment before counting.
				await sleep(2000);
				const r = await clients.collect(acks);
				// CPU seconds per wall second: above 1 means the engine's threads worked beside the event loop.
				const cpuShare = (after.cpuSeconds - before.cpuSeconds) / wallS;
				const key = `c${load.clients}_r${load.rate}`;
				out[key] = {
					clients: load.clients,
					rate_per_s: load.rate,
					connect_s: round(clients.connectMs / 1000, 1),
					acked: acks.length,
					posting_s: round(wallS, 1),
					failed_posts: failed,
					deliveries_expected: r.expected,
					deliveries_received: r.received,
					timed_clients: r.sampledClients,
					timed_deliveries: `${r.sampledPairs}/${r.sampledExpected}`,
					from_ack_ms: r.fromAckMs,
					from_post_ms: r.fromSendMs,
					frames_before_ack: r.beforeAck,
					disconnects: r.disconnects,
					server_cpu_share: round(cpuShare, 2),
					target_p99_met: (r.fromAckMs.p99 ?? Infinity) <= 100
				};
				rows.push({
					load: `${load.clients} clients × ${load.rate}/s`,
					'ack→socket p50': r.fromAckMs.p50,
					'ack→socket p99': r.fromAckMs.p99,
					'post→socket p50': r.fromSendMs.p50,
					'post→socket p99': r.fromSendMs.p99,
					delivered: `${r.received}/${r.expected}`,
					'server CPU': `${Math.round(cpuShare * 100)}%`,
					connect: `${round(clients.connectMs / 1000, 1)} s`
				});
			} finally {
				clients.kill();
			}
		}
		printTable(`${title} — ms, target p99 ≤ 100`, rows);
		return out;
	} finally {
		poster.close();
		await server.stop();
	}
}
