/**
 * Broadcast cost: server CPU time per emitted `incident` per 1 000 connected clients. The same paced
 * ingest runs twice against one server, without clients and with 1 000 wall clients; each phase's CPU
 * (from `/metrics`) minus its idle CPU over the same time, per incident, and the difference between the
 * two phases is what sending to the clients costs. Incidents arrive in small batches (10 per request),
 * so the cost of storing them stays small next to the cost measured, and its noise too.
 */
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { Poster, pacedIncidents } from './lib/load.ts';
import { startClients, type ClientsProcess } from './lib/clients.ts';
import { printTable, round, sleep } from './lib/report.ts';
import { startBenchServer, type BenchServer } from './lib/server.ts';

export const title = 'Broadcast cost per event per 1 000 clients (server CPU)';

const CLIENTS = 1000;
const RATE = 50;
const PER_REQUEST = 10;

interface Phase {
	clients: number;
	events: number;
	idleCpuPerS: number;
	cpuS: number;
	wallS: number;
	/** CPU µs per incident above idle. */
	perEventUs: number;
}

async function phase(server: BenchServer, poster: Poster, clients: number, seconds: number): Promise<Phase> {
	const idleS = Math.max(3, seconds / 3);
	const i0 = await server.metrics();
	await sleep(idleS * 1000);
	const i1 = await server.metrics();
	const idleCpuPerS = (i1.cpuSeconds - i0.cpuSeconds) / idleS;
	const t0 = Date.now();
	const { acks } = await pacedIncidents(poster, { ratePerSec: RATE, seconds, perRequest: PER_REQUEST });
	// Aggregates pushed after the last incident belong to this phase too.
	await sleep(1500);
	const a1 = await server.metrics();
	const wallS = (Date.now() - t0) / 1000;
	const cpuS = a1.cpuSeconds - i1.cpuSeconds;
	return { clients, events: acks.length, idleCpuPerS, cpuS, wallS, perEventUs: ((cpuS - idleCpuPerS * wallS) / acks.length) * 1e6 };
}

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const seconds = opts.quick ? 5 : 15;
	const server = await startBenchServer();
	const poster = new Poster(server.url, server.ingestToken, 16);
	let clients: ClientsProcess | null = null;
	try {
		await sleep(2000);
		const none = await phase(server, poster, 0, seconds);
		clients = await startClients(server.url, server.wallToken, CLIENTS);
		await sleep(3000);
		const many = await phase(server, poster, CLIENTS, seconds);
		const delivered = await clients.collect([]);
		clients = null;
		const costUs = ((many.perEventUs - none.perEventUs) * 1000) / CLIENTS;
		const row = (p: Phase) => ({
			clients: p.clients,
			incidents: p.events,
			'idle CPU %': round(p.idleCpuPerS * 100, 1),
			'CPU s': round(p.cpuS, 2),
			'CPU µs / incident above idle': Math.round(p.perEventUs)
		});
		printTable(`${title} — ${RATE} incidents/s in requests of ${PER_REQUEST}, ${seconds} s per phase`, [row(none), row(many)]);
		console.log(`→ broadcast cost: ${round(costUs / 1000, 2)} ms CPU per event per 1 000 clients, i.e. ${round(costUs / 1000, 2)} µs per delivered message`);
		return {
			rate_per_s: RATE,
			incidents_per_request: PER_REQUEST,
			seconds,
			clients: CLIENTS,
			incidents_without_clients: none.events,
			incidents_with_clients: many.events,
			cpu_us_per_incident_no_clients: Math.round(none.perEventUs),
			cpu_us_per_incident_1000_clients: Math.round(many.perEventUs),
			idle_cpu_share_1000_clients: round(many.idleCpuPerS, 3),
			broadcast_ms_cpu_per_event_per_1000_clients: round(costUs / 1000, 3),
			deliveries_received: delivered.received
		};
	} finally {
		clients?.kill();
		poster.close();
		await server.stop();
	}
}
