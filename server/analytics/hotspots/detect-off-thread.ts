/**
 * Live detection passes in a worker thread of their own. A pass groups the last 24 h into posts and scores
 * every zone: milliseconds on a city's normal day, but a second and more on a flood of tens of thousands of
 * posts, which on the main thread would hold every answer and push for as long. The thread stays up between
 * passes and keeps the baseline (re-sent only when the engine rebuilds it, about hourly).
 */
import type { Worker } from 'node:worker_threads';
import { startThread } from '../../threads/start.ts';
import type { Baseline, BaselineInput } from './baseline.ts';
import type { RecentIncident } from './detect.ts';
import type { DetectedHotspot } from './merge.ts';
import type { HotspotParams, Thresholds } from './params.ts';

export interface DetectRequest {
	id: number;
	now: number;
	recent: readonly RecentIncident[];
	baselineVersion: number;
	/** Sent with the first request of each baseline version only. */
	baseline?: BaselineInput;
	params: HotspotParams;
	thresholds: Thresholds;
	districts: readonly string[];
}

export type DetectReply = { id: number; detected: DetectedHotspot[]; error?: undefined } | { id: number; error: string; detected?: undefined };

export class DetectionThread {
	private worker: Worker | null = null;
	private readonly pending = new Map<number, { resolve: (d: DetectedHotspot[]) => void; reject: (e: Error) => void }>();
	private nextId = 1;
	/** Baselines are told apart by identity; the thread holds the one of `sentVersion`. */
	private readonly versions = new WeakMap<Baseline, number>();
	private nextVersion = 1;
	private sentVersion = 0;

	constructor(private readonly tz: string) {}

	detect(now: number, recent: readonly RecentIncident[], baseline: Baseline, params: HotspotParams, thresholds: Thresholds, districts: readonly string[]): Promise<DetectedHotspot[]> {
		const worker = this.thread();
		let version = this.versions.get(baseline);
		if (version === undefined) this.versions.set(baseline, (version = this.nextVersion++));
		const id = this.nextId++;
		const req: DetectRequest = { id, now, recent, baselineVersion: version, params, thresholds, districts };
		if (version !== this.sentVersion) {
			req.baseline = baseline.aggregates;
			this.sentVersion = version;
		}
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			worker.ref();
			worker.postMessage(req);
		});
	}

	/** Ends the thread; the next pass starts a new one. */
	async stop(): Promise<void> {
		const w = this.worker;
		this.forget(new Error('hotspot detection stopped'));
		await w?.terminate();
	}

	private thread(): Worker {
		if (this.worker) return this.worker;
		const w = startThread(new URL('./detect-thread.ts', import.meta.url), { tz: this.tz }, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
		w.unref();
		w.on('message', (reply: DetectReply) => {
			const p = this.pending.get(reply.id);
			if (!p) return;
			this.pending.delete(reply.id);
			if (this.pending.size === 0) w.unref();
			if (reply.error !== undefined) p.reject(new Error(`hotspot detection failed: ${reply.error}`));
			else p.resolve(reply.detected);
		});
		w.on('error', (e) => this.worker === w && this.forget(new Error(`hotspot detection failed: ${e.message}`)));
		w.on('exit', (code) => this.worker === w && this.forget(new Error(`hotspot detection thread exited (${code})`)));
		this.worker = w;
		return w;
	}

	/** Fails what is in flight and drops the thread (and what it held): the next pass starts afresh. */
	private forget(e: Error): void {
		this.worker = null;
		this.sentVersion = 0;
		for (const p of this.pending.values()) p.reject(e);
		this.pending.clear();
	}
}
