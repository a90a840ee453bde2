/**
 * The simulator as an external source: `npm run simulate -- --url URL --token T --rate N [--clusters]`
 * posts live simulated incidents (N a minute on average, following the daily rhythm) and their status
 * events to a running instance through the public API. Ctrl-C stops it.
 *
 * Options: --seed S, --duration SECONDS (stop after), --cluster-every HOURS (default 0.5 with --clusters).
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { loadCityPack } from '../city/pack.ts';
import { HttpSink } from './http-sink.ts';
import { startLiveSimulator } from './live.ts';
import { INCIDENTS_PER_YEAR } from './profile.ts';
import { complain, say } from '../terminal.ts';

const USAGE = 'usage: npm run simulate -- --url URL --token TOKEN --rate N [--clusters] [--seed S] [--duration SECONDS] [--cluster-every HOURS]';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			url: { type: 'string' },
			token: { type: 'string' },
			rate: { type: 'string', default: '10' },
			clusters: { type: 'boolean', default: false },
			seed: { type: 'string', default: String(Date.now() % 1_000_000) },
			duration: { type: 'string' },
			'cluster-every': { type: 'string', default: '0.5' },
			help: { type: 'boolean', default: false }
		}
	});
	if (values.help || !values.url || !values.token) {
		complain(USAGE);
		process.exit(values.help ? 0 : 2);
	}
	const rate = Number(values.rate);
	if (!(rate > 0)) throw new Error(`--rate must be a positive number of incidents a minute (${USAGE})`);
	const config = loadConfig();
	const city = loadCityPack(config.cityDir, config.tz);
	const log = (msg: string) => say(`${new Date().toISOString()} ${msg}`);
	const sink = new HttpSink({ url: values.url, token: values.token, log });
	const speed = (rate * 60 * 24 * 365.25) / INCIDENTS_PER_YEAR;
	const sim = startLiveSimulator({
		pipeline: sink,
		city,
		seed: Number(values.seed),
		speed,
		clusters: values.clusters,
		clusterEveryH: Number(values['cluster-every']),
		log,
		onClusters: (cs) => cs.forEach((c) => log(`cluster ${c.id}: ${c.size} × ${c.category} around ${c.address} (${c.district})`))
	});
	log(`posting to ${values.url} at ~${rate}/min (speed ×${speed.toFixed(0)})${values.clusters ? ' with clusters' : ''}`);
	const report = setInterval(() => log(`sent ${sim.stats.incidents} incidents, ${sim.stats.events} events, ${sink.retries} retries, ${sim.stats.errors} errors`), 10_000);
	const stop = async () => {
		clearInterval(report);
		await sim.stop();
		log(`stopped: ${sim.stats.incidents} incidents, ${sim.stats.events} events, ${sim.stats.clusters} clusters`);
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	if (values.duration) setTimeout(() => void stop(), Number(values.duration) * 1000);
}

main().catch((err: unknown) => {
	complain((err as Error).message);
	process.exit(1);
});
