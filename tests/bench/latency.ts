/**
 * Post → screen latency against its floor: N wall clients connected (in their own process), single
 * incidents posted at a fixed rate (from this process); for every (incident, client) pair, the time from
 * the POST being sent to the `incident` event reaching the client, on one monotonic clock. Each load runs
 * twice in the same run: against a bare HTTP + Socket.IO server (`lib/floor-server.ts`, the floor) and
 * against the product; the product's p50 and p99 are reported as ratios to the floor's (target ≤ 3×).
 */
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { Poster, pacedSingles } from './lib/load.ts';
import { startClients, type ClientsResult } from './lib/clients.ts';
import { distribution, printTable, round, sleep, type Distribution } from './lib/report.ts';
import { startBenchServer } from './lib/server.ts';
import { startFloorServer } from './lib/floor.ts';

export const title = 'Post → screen latency against a bare HTTP + Socket.IO floor (200 × 100/s, 1 000 × 200/s)';

const LOADS = [
	{ clients: 200, rate: 100 },
	{ clients: 1000, rate: 200 }
];
/** Ratio to the floor allowed for p50 and p99. */
const TARGET_RATIO = 3;

interface Measured {
	r: ClientsResult;
	/** POST sent → its 202 received, at the poster. */
	postToAck: Distribution;
	acked: number;
	failed: number;
	connectS: number;
}

async function measure(url: string, ingestToken: string, wallToken: string, load: { clients: number; rate: number }, seconds: number): Promise<Measured> {
	const poster = new Poster(url, ingestToken, 64);
	const clients = await startClients(url, wallToken, load.clients);
	try {
		// Let the snapshots of the connect wave and the first aggregates settle.
		await sleep(2000);
		const { acks, failed } = await pacedSingles(poster, load.rate, seconds);
		// Stragglers: give the slowest client a moment before counting.
		await sleep(2000);
		const r = await clients.collect(acks);
		const postToAck = distribution(acks.map((a) => Number(a.answeredAt - a.sentAt) / 1e6));
		return { r, postToAck, acked: acks.length, failed, connectS: round(clients.connectMs / 1000, 1) };
	} finally {
		clients.kill();
		poster.close();
	}
}

const ratio = (a: number | null, b: number | null) => (a === null || b === null || b <= 0 ? null : round(a / b, 2));

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const seconds = opts.quick ? 5 : 15;
	const floor = await startFloorServer();
	const server = await startBenchServer();
	const rows: Record<string, unknown>[] = [];
	const out: Record<string, unknown> = { seconds_per_load: seconds, target_ratio: TARGET_RATIO };
	try {
		for (const load of LOADS) {
			const base = await measure(floor.url, 'floor', 'floor', load, seconds);
			const prod = await measure(server.url, server.ingestToken, server.wallToken, load, seconds);
			const p50 = ratio(prod.r.fromSendMs.p50, base.r.fromSendMs.p50);
			const p99 = ratio(prod.r.fromSendMs.p99, base.r.fromSendMs.p99);
			out[`c${load.clients}_r${load.rate}`] = {
				clients: load.clients,
				rate_per_s: load.rate,
				floor: { post_to_screen_ms: base.r.fromSendMs, post_to_ack_ms: base.postToAck, delivered: `${base.r.received}/${base.r.expected}`, failed_posts: base.failed },
				product: {
					post_to_screen_ms: prod.r.fromSendMs,
					post_to_ack_ms: prod.postToAck,
					ack_to_screen_ms: prod.r.fromAckMs,
					delivered: `${prod.r.received}/${prod.r.expected}`,
					failed_posts: prod.failed,
					disconnects: prod.r.disconnects,
					connect_s: prod.connectS
				},
				ratio_p50: p50,
				ratio_p99: p99,
				target_met: p50 !== null && p99 !== null && p50 <= TARGET_RATIO && p99 <= TARGET_RATIO
			};
			rows.push({
				load: `${load.clients} clients × ${load.rate}/s`,
				'floor p50': base.r.fromSendMs.p50,
				'floor p99': base.r.fromSendMs.p99,
				'product p50': prod.r.fromSendMs.p50,
				'product p99': prod.r.fromSendMs.p99,
				'ratio p50': p50,
				'ratio p99': p99,
				'product max': prod.r.fromSendMs.max,
				'product post→202 p50': prod.postToAck.p50,
				'product post→202 p99': prod.postToAck.p99,
				delivered: `${prod.r.received}/${prod.r.expected}`
			});
		}
		printTable(`${title} — post → screen ms, target ratio ≤ ${TARGET_RATIO}`, rows);
		return out;
	} finally {
		await server.stop();
		await floor.stop();
	}
}
