/**
 * The live stream: new incidents at the realistic rate of the current hour (times `speed` for demos),
 * their status events when their time comes, and optionally injected clusters. Timestamps are always
 * the real clock, never in the future; a demo speed-up means more incidents, not a faster calendar.
 */
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { CityPack } from '../city/pack.ts';
import { makeCluster, type ClusterSpec, type ClusterTruth } from './clusters.ts';
import { IncidentFactory } from './generator.ts';
import { RecurrenceQueue } from './recurrence.ts';
import { expectedPerHour } from './profile.ts';
import { Rng } from './random.ts';
import type { IngestSink } from './sink.ts';

export interface LiveOptions {
	pipeline: IngestSink;
	city: CityPack;
	seed: number;
	/** Multiplies the incident rate (1 = realistic, ~1.25 an hour). */
	speed?: number;
	/**
	 * A newcomer's demo instead of a rate: an incident every 20–60 s whatever the hour, a first cluster a few
	 * minutes after the start (spread over ten minutes, so a hotspot opens within about a quarter of an hour),
	 * then one an hour.
	 */
	lively?: boolean;
	/** Inject clusters: true for the defaults, or a spec; about one every `clusterEveryH` hours of real time. */
	clusters?: boolean | ClusterSpec;
	clusterEveryH?: number;
	/** Events of backfilled incidents still to come. */
	pending?: StatusEventInput[];
	now?: () => Date;
	tickMs?: number;
	onClusters?: (clusters: ClusterTruth[]) => void;
	log?: (msg: string) => void;
}

export interface LiveSimulator {
	stop(): Promise<void>;
	/** Starts a cluster now (demos, tests). */
	injectCluster(spec?: ClusterSpec): ClusterTruth;
	/** Runs one step at once; resolves when its submissions are done. */
	tick(): Promise<void>;
	readonly stats: { incidents: number; events: number; clusters: number; errors: number };
}

/** Unsent items are retried, up to this many; beyond it the oldest are dropped with a log line. */
const MAX_BACKLOG = 50_000;

/** Lively demo: gaps between incidents, and when the first cluster starts (ms). */
const LIVELY_GAP_MS: [number, number] = [20_000, 60_000];
const LIVELY_FIRST_CLUSTER_MS: [number, number] = [2 * 60_000, 4 * 60_000];
const LIVELY_CLUSTER_H = 1 / 6;
const LIVELY_CLUSTER_EVERY_H = 1;

export function startLiveSimulator(opts: LiveOptions): LiveSimulator {
	const now = opts.now ?? (() => new Date());
	const speed = opts.lively ? 1 : (opts.speed ?? 1);
	const factory = new IncidentFactory(opts.city);
	const recurrences = new RecurrenceQueue();
	const rng = new Rng((opts.seed ^ Math.floor(now().getTime() / 1000)) >>> 0);
	const cal = opts.city.calendar;
	let last = now().getTime();
	// Future items sorted by time (incidents of clusters in progress, status events).
	let futureIncidents: IncidentInput[] = [];
	let futureEvents: StatusEventInput[] = [...(opts.pending ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
	let outIncidents: IncidentInput[] = [];
	let outEvents: StatusEventInput[] = [];
	const stats = { incidents: 0, events: 0, clusters: 0, errors: 0 };
	let clusterSeq = 0;
	const between = ([lo, hi]: [number, number]) => lo + rng.next() * (hi - lo);
	let nextLivelyAt = now().getTime() + between(LIVELY_GAP_MS) / 2;
	let firstClusterAt = opts.lively ? now().getTime() + between(LIVELY_FIRST_CLUSTER_MS) : Infinity;

	const schedule = (incidents: IncidentInput[], events: StatusEventInput[]) => {
		futureIncidents = [...futureIncidents, ...incidents].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
		futureEvents = [...futureEvents, ...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
	};

	const injectCluster = (spec: ClusterSpec = {}): ClusterTruth => {
		const t = now();
		const durationH = opts.lively ? (spec.durationH ?? LIVELY_CLUSTER_H) : (spec.durationH ?? 3) / speed;
		const c = makeCluster(rng, factory, { ...spec, durationH }, t, `live-${t.getTime().toString(36)}-${++clusterSeq}`);
		// Spread over the (sped-up) duration, all in the past by the time they are sent.
		schedule(c.incidents, c.events);
		stats.clusters++;
		opts.onClusters?.([c.truth]);
		return c.truth;
	};

	const step = async () => {
		const t = now().getTime();
		const dtH = Math.max(0, t - last) / 3_600_000;
		const local = new Date(t + cal.offsetMs(t));
		const times: number[] = [];
		if (opts.lively) {
			for (; nextLivelyAt <= t; nextLivelyAt += between(LIVELY_GAP_MS)) times.push(nextLivelyAt);
		} else {
			const rate = expectedPerHour(local.getUTCDay(), local.getUTCMonth(), local.getUTCHours()) * speed;
			const n = rng.poisson(rate * dtH);
			for (let i = 0; i < n; i++) times.push(last + rng.next() * (t - last));
		}
		for (const at of times) {
			const g = factory.make(rng, new Date(at), {}, recurrences);
			outIncidents.push(g.incident);
			schedule([], g.events);
		}
		const clusterSpec = opts.clusters === true ? {} : opts.clusters;
		if (clusterSpec && t >= firstClusterAt) {
			firstClusterAt = Infinity;
			injectCluster(clusterSpec);
		} else if (clusterSpec && rng.chance(dtH / (opts.clusterEveryH ?? (opts.lively ? LIVELY_CLUSTER_EVERY_H : 6)))) injectCluster(clusterSpec);
		last = t;
		while (futureIncidents.length && Date.parse(futureIncidents[0]!.created_at) <= t) outIncidents.push(futureIncidents.shift()!);
		while (futureEvents.length && Date.parse(futureEvents[0]!.at) <= t) outEvents.push(futureEvents.shift()!);
		await flush();
	};

	const flush = async () => {
		if (outIncidents.length) {
			const batch = outIncidents;
			outIncidents = [];
			try {
				await opts.pipeline.submitIncidents(batch);
				stats.incidents += batch.length;
			} catch (err) {
				stats.errors++;
				outIncidents = [...batch, ...outIncidents].slice(-MAX_BACKLOG);
				opts.log?.(`simulator: incidents not accepted, will retry: ${(err as Error).message}`);
				return; // events wait until their incidents are in
			}
		}
		if (outEvents.length) {
			const batch = outEvents;
			outEvents = [];
			try {
				await opts.pipeline.submitEvents(batch);
				stats.events += batch.length;
			} catch (err) {
				stats.errors++;
				outEvents = [...batch, ...outEvents].slice(-MAX_BACKLOG);
				opts.log?.(`simulator: events not accepted, will retry: ${(err as Error).message}`);
			}
		}
	};

	let running: Promise<void> = Promise.resolve();
	let stopped = false;
	const tick = () =>
		(running = running.then(step).catch((err: unknown) => {
			stats.errors++;
			opts.log?.(`simulator: step failed: ${(err as Error).message}`);
		}));
	const timer = setInterval(() => {
		if (!stopped) void tick();
	}, opts.tickMs ?? 1000);
	timer.unref?.();

	return {
		stats,
		injectCluster,
		tick,
		async stop() {
			stopped = true;
			clearInterval(timer);
			await running;
		}
	};
}
