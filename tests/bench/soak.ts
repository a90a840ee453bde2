/**
 * Soak: 20 incidents/s with 50 wall clients for `--soak-minutes` (2 in the suite, 60 for the long run),
 * sampling the server's RSS and V8 heap from `/metrics` every 10 s. Growth "flattens" when the last
 * third of the run grows at most half as fast as the middle third (or under 0.5 MB/min).
 */
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { Poster, pacedSingles } from './lib/load.ts';
import { startClients, type ClientsProcess } from './lib/clients.ts';
import { printTable, round, sleep } from './lib/report.ts';
import { startBenchServer } from './lib/server.ts';

export const title = 'Soak: 20 incidents/s, 50 clients, RSS and heap every 10 s';

const RATE = 20;
const CLIENTS = 50;
const SAMPLE_MS = 10_000;
const MB = 1024 * 1024;

interface Sample {
	min: number;
	rssMb: number;
	heapUsedMb: number;
	heapTotalMb: number;
	accepted: number;
}

/** Least-squares slope of y over x (MB per minute here). */
function slope(points: { x: number; y: number }[]): number {
	const n = points.length;
	if (n < 2) return 0;
	const mx = points.reduce((s, p) => s + p.x, 0) / n;
	const my = points.reduce((s, p) => s + p.y, 0) / n;
	const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
	const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
	return den === 0 ? 0 : num / den;
}

function growth(samples: Sample[], pick: (s: Sample) => number): Record<string, unknown> {
	const third = Math.floor(samples.length / 3);
	const middle = samples.slice(third, 2 * third);
	const last = samples.slice(2 * third);
	const pts = (xs: Sample[]) => xs.map((s) => ({ x: s.min, y: pick(s) }));
	const mean = (xs: Sample[]) => (xs.length ? xs.reduce((a, s) => a + pick(s), 0) / xs.length : 0);
	const middleSlope = slope(pts(middle));
	const lastSlope = slope(pts(last));
	return {
		start_mb: round(pick(samples[0]!), 1),
		end_mb: round(pick(samples.at(-1)!), 1),
		max_mb: round(Math.max(...samples.map(pick)), 1),
		middle_third_mean_mb: round(mean(middle), 1),
		last_third_mean_mb: round(mean(last), 1),
		middle_slope_mb_per_min: round(middleSlope, 2),
		last_slope_mb_per_min: round(lastSlope, 2),
		flattens: lastSlope <= Math.max(middleSlope / 2, 0.5)
	};
}

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const seconds = Math.round(opts.soakMinutes * 60);
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
			`${title} — ${round(seconds / 60, 1)} min`,
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
