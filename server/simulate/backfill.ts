/**
 * On an empty store: a year of simulated history written through the ingest pipeline in big chunks,
 * unpublished (sockets do not need 11 000 "new" incidents). Events dated after `now` are not written;
 * they are returned for the live simulator to emit when their time comes.
 */
import type { StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { CityPack } from '../city/pack.ts';
import { z } from 'zod';
import type { Store } from '../store/client.ts';
import { runQuery } from '../store/query.ts';
import { writeGroundTruth } from './ground-truth.ts';
import { generateHistory } from './history.ts';
import type { IngestSink } from './sink.ts';

export interface BackfillOptions {
	store: Store;
	pipeline: IngestSink;
	city: CityPack;
	seed: number;
	now: Date;
	/** Where the clusters' ground truth goes (`simulator/clusters.json` inside). */
	dataDir: string;
	days?: number;
	/** Clusters injected into the year (default 24: about two a month). */
	clusters?: number;
	chunk?: number;
	log?: (msg: string) => void;
}

export interface BackfillResult {
	backfilled: boolean;
	incidents: number;
	events: number;
	clusters: number;
	/** Events after `now`: hand them to the live simulator. */
	pending: StatusEventInput[];
	ms: number;
}

const HasRows = z.object({ has_rows: z.union([z.number(), z.boolean()]) });

export async function storeIsEmpty(store: Store): Promise<boolean> {
	const rows = await runQuery(store, 'simulate_store_has_incidents', 'SELECT count() > 0 AS has_rows FROM (SELECT 1 FROM incidents LIMIT 1)', {}, HasRows);
	return !rows[0] || !Number(rows[0].has_rows);
}

export async function backfillIfEmpty(opts: BackfillOptions): Promise<BackfillResult> {
	const t0 = performance.now();
	if (!(await storeIsEmpty(opts.store))) {
		return { backfilled: false, incidents: 0, events: 0, clusters: 0, pending: [], ms: performance.now() - t0 };
	}
	const end = opts.now;
	const start = new Date(end.getTime() - (opts.days ?? 365) * 86_400_000);
	const history = generateHistory({ city: opts.city, seed: opts.seed, start, end, clusters: opts.clusters ?? 24 });
	const past = history.events.filter((e) => Date.parse(e.at) <= end.getTime());
	const pending = history.events.filter((e) => Date.parse(e.at) > end.getTime());
	const chunk = opts.chunk ?? 20_000;
	for (let i = 0; i < history.incidents.length; i += chunk) {
		await opts.pipeline.submitIncidents(history.incidents.slice(i, i + chunk), { publish: false });
	}
	for (let i = 0; i < past.length; i += chunk) {
		await opts.pipeline.submitEvents(past.slice(i, i + chunk), { publish: false });
	}
	// Acknowledged means durable in the ingest log: "backfilled" means in the store.
	await opts.pipeline.drain?.();
	writeGroundTruth(opts.dataDir, { seed: opts.seed, start: history.start, end: history.end, clusters: history.clusters });
	const ms = performance.now() - t0;
	opts.log?.(`simulator: backfilled ${history.incidents.length} incidents and ${past.length} events in ${(ms / 1000).toFixed(1)} s`);
	return { backfilled: true, incidents: history.incidents.length, events: past.length, clusters: history.clusters.length, pending, ms };
}
