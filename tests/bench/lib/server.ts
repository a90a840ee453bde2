/**
 * The server under test: the real `server/main.ts` in a child process (so the load generator never shares
 * its event loop), on 127.0.0.1 and a random port, with a temporary data dir removed afterwards.
 */
import fs from 'node:fs';
import { startAppProcess, tempDir, type AppProcess } from '../../helpers/app.ts';

export interface BenchServer {
	url: string;
	ingestToken: string;
	wallToken: string;
	proc: AppProcess;
	/** Process figures scraped from `/metrics`. */
	metrics(): Promise<ServerMetrics>;
	stop(): Promise<void>;
}

export interface ServerMetrics {
	cpuSeconds: number;
	rssBytes: number;
	heapUsedBytes: number;
	heapTotalBytes: number;
	acceptedIncidents: number;
	sockets: number;
}

export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
	const dataDir = tempDir('mcu-bench-');
	const proc = await startAppProcess({
		dataDir,
		env: {
			// The benchmark posts far more often than a real source may: lift the per-token limit.
			MCU_INGEST_RATE_PER_MIN: '100000000',
			MCU_REPORTS: '0',
			MCU_LOG_LEVEL: 'warn',
			...env
		}
	}).catch((e: unknown) => {
		fs.rmSync(dataDir, { recursive: true, force: true });
		throw e;
	});
	return {
		url: proc.url,
		ingestToken: proc.tokens.ingest,
		wallToken: proc.tokens.wall,
		proc,
		metrics: () =>
			scrape(proc.url).catch((e: unknown) => {
				const state = proc.child.exitCode !== null || proc.child.signalCode ? `server exited (${proc.child.exitCode ?? proc.child.signalCode})` : 'server running';
				throw new Error(`/metrics: ${(e as Error).message} (${(e as { cause?: Error }).cause?.message ?? ''}); ${state}; its output:\n${proc.output().slice(-2000)}`);
			}),
		stop: async () => {
			const forced = setTimeout(() => proc.child.kill('SIGKILL'), 30_000);
			await proc.kill('SIGTERM');
			clearTimeout(forced);
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

/** Parses Prometheus text into `name{labels}` → value. */
export function parseMetrics(text: string): Map<string, number> {
	const out = new Map<string, number>();
	for (const line of text.split('\n')) {
		if (line === '' || line.startsWith('#')) continue;
		const sp = line.lastIndexOf(' ');
		out.set(line.slice(0, sp), Number(line.slice(sp + 1)));
	}
	return out;
}

function sumWhere(m: Map<string, number>, test: (key: string) => boolean): number {
	let s = 0;
	for (const [k, v] of m) if (test(k)) s += v;
	return s;
}

export async function scrape(url: string): Promise<ServerMetrics> {
	const res = await fetch(`${url}/metrics`);
	const m = parseMetrics(await res.text());
	// prom-client's default metrics under the `mcu_process_` prefix.
	const one = (suffix: string) => sumWhere(m, (k) => k === `mcu_process_${suffix}`);
	return {
		cpuSeconds: one('process_cpu_seconds_total'),
		rssBytes: one('process_resident_memory_bytes'),
		heapUsedBytes: one('nodejs_heap_size_used_bytes'),
		heapTotalBytes: one('nodejs_heap_size_total_bytes'),
		acceptedIncidents: sumWhere(m, (k) => k.startsWith('mcu_ingest_items_total{') && k.includes('kind="incidents"') && k.includes('outcome="accepted"')),
		sockets: sumWhere(m, (k) => k.startsWith('mcu_live_sockets'))
	};
}
