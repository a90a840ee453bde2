/**
 * Soak: `--soak-rate` incidents/s (default 20) with `--soak-clients` wall clients (default 200) for
 * `--soak-minutes` (2 in the suite; the specified long run is six hours at ten times Barnaul's rate:
 * `npm run bench -- soak --soak-hours 6 --soak-rate 10x`), sampling the server's RSS and V8 heap from
 * `/metrics` every 10 s, and judging whether growth flattens (the floor rule, see `growth`), whether every
 * delivery arrived exactly once (frames counted = acknowledged × clients) and whether any client dropped.
 */
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { Poster, pacedSingles } from './lib/load.ts';
import { startClients, type ClientsProcess } from './lib/clients.ts';
import { printTable, round, sleep } from './lib/report.ts';
import { startBenchServer } from './lib/server.ts';

export const title = 'Soak: incidents/s × wall clients, RSS and heap every 10 s';

const SAMPLE_MS = 10_000;
const MB = 1024 * 1024;

interface Sample {
	min: number;
	rssMb: number;
	heapUsedMb: number;
	heapTotalMb: number;
	accepted: number;
}

/**
 * Middle third vs last third of the run. The V8 heap is a saw (it climbs until a major GC), so a mean or
 * a slope says little; the floor (lowest sample) of each third is what stays retained. Growth flattens
 * when the last third's floor is within 5 % (+ 10 MB of noise) of the middle third's.
 */
function growth(samples: Sample[], pick: (s: Sample) => number): Record<string, unknown> {
	const third = Math.floor(samples.length / 3);
	const middle = samples.slice(third, 2 * third).map(pick);
	const last = samples.slice(2 * third).map(pick);
	const mean = (xs: number[]) => (xs.length ? xs.reduce((a, x) => a + x, 0) / xs.length : 0);
	const middleFloor = Math.min(...middle);
	const lastFloor = Math.min(...last);
	return {
		start_mb: round(pick(samples[0]!), 1),
		end_mb: round(pick(samples.at(-1)!), 1),
		max_mb: round(Math.max(...samples.map(pick)), 1),
		middle_third_floor_mb: round(middleFloor, 1),
		last_third_floor_mb: round(lastFloor, 1),
		middle_third_mean_mb: round(mean(middle), 1),
		last_third_mean_mb: round(mean(last), 1),
		flattens: lastFloor <= middleFloor * 1.05 + 10
	};
}

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const seconds = Math.round(opts.soakMinutes * 60);
	const RATE = opts.soakRate;
	const CLIENTS = opts.soakClients;
	const server = await startBenchServer();
	const poster = new Poster(server.url, server.ingestToken, 16);
	let clients: ClientsProcess | null = null;
	try {
		clients = await startClients(server.url, server.wallToken, CLIENTS);
		const samples: Sample[] = [];
		const t0 = Date.now();
		const sample = async () => {
			const m = await server.metrics();
			samples.push({
				min: round((Date.now() - t0) / 60_000, 2),
				rssMb: m.rssBytes / MB,
				heapUsedMb: m.heapUsedBytes / MB,
				heapTotalMb: m.heapTotalBytes / MB,
				accepted: m.acceptedIncidents
			});
		};
		await sample();
		const sampler = setInterval(() => void sample().catch(() => undefined), SAMPLE_MS);
		let load: Awaited<ReturnType<typeof pacedSingles>>;
		try {
			load = await pacedSingles(poster, RATE, seconds);
		} finally {
			clearInterval(sampler);
		}
		await sample();
		await sleep(1000);
		const delivered = await clients.collect(load.acks);
		clients = null;

		// The curve, thinned to ≤ 40 rows for long runs.
		const step = Math.max(1, Math.ceil(samples.length / 40));
		printTable(
			`${title} — ${round(seconds / 60, 1)} min, ${round(RATE, 4)}/s, ${CLIENTS} clients`,
			samples
				.filter((_, i) => i % step === 0 || i === samples.length - 1)
				.map((s) => ({ min: s.min, 'RSS MB': round(s.rssMb, 1), 'heap used MB': round(s.heapUsedMb, 1), 'heap total MB': round(s.heapTotalMb, 1), stored: s.accepted }))
		);
		const rss = growth(samples, (s) => s.rssMb);
		const heap = growth(samples, (s) => s.heapUsedMb);
		console.log(`→ RSS ${rss.flattens ? 'flattens' : 'still grows'}; heap ${heap.flattens ? 'flattens' : 'still grows'}`);
		return {
			minutes: round(seconds / 60, 1),
			rate_per_s: RATE,
			clients: CLIENTS,
			acked: load.acks.length,
			failed_posts: load.failed,
			deliveries: `${delivered.received}/${delivered.expected}`,
			every_delivery_once: delivered.received === delivered.expected,
			disconnects: delivered.disconnects,
			floor_rule: 'flat when the last third’s lowest sample ≤ 1.05 × the middle third’s lowest + 10 MB',
			ack_to_socket_ms: delivered.fromAckMs,
			rss,
			heap_used: heap,
			curve: samples.map((s) => [s.min, round(s.rssMb, 1), round(s.heapUsedMb, 1)])
		};
	} finally {
		clients?.kill();
		poster.close();
		await server.stop();
	}
}
