/**
 * The simulator's public surface, and `runDemo`: what `npm start` does with `MCU_DEMO=1` — a year of
 * history on an empty store, then the live stream with clusters, ground truth recorded.
 */
import type { CityPack } from '../city/pack.ts';
import type { Store } from '../store/client.ts';
import { backfillIfEmpty, type BackfillResult } from './backfill.ts';
import { appendGroundTruth } from './ground-truth.ts';
import { startLiveSimulator, type LiveSimulator } from './live.ts';
import type { IngestSink } from './sink.ts';

export { generateHistory, type History, type HistoryOptions } from './history.ts';
export { makeCluster, type ClusterSpec, type ClusterTruth } from './clusters.ts';
export { backfillIfEmpty, storeIsEmpty, type BackfillResult } from './backfill.ts';
export { startLiveSimulator, type LiveSimulator, type LiveOptions } from './live.ts';
export { summarizeHistory, type HistorySummary } from './summary.ts';
export { readGroundTruth, groundTruthPath, type GroundTruthFile } from './ground-truth.ts';
export type { IngestSink } from './sink.ts';

export interface DemoOptions {
	store: Store;
	pipeline: IngestSink;
	city: CityPack;
	dataDir: string;
	seed: number;
	/** Multiplier of the real rate; null: the lively demo (see LiveOptions.lively). */
	speed: number | null;
	now?: () => Date;
	log?: (msg: string) => void;
}

export async function runDemo(o: DemoOptions): Promise<{ backfill: BackfillResult; live: LiveSimulator }> {
	const now = o.now ?? (() => new Date());
	const backfill = await backfillIfEmpty({ store: o.store, pipeline: o.pipeline, city: o.city, seed: o.seed, now: now(), dataDir: o.dataDir, log: o.log });
	const live = startLiveSimulator({
		pipeline: o.pipeline,
		city: o.city,
		seed: o.seed,
		speed: o.speed ?? 1,
		lively: o.speed === null,
		clusters: true,
		pending: backfill.pending,
		now,
		log: o.log,
		onClusters: (c) => appendGroundTruth(o.dataDir, o.seed, c, now())
	});
	return { backfill, live };
}
