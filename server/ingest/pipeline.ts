/**
 * The ingest pipeline. A submission is acknowledged once it is durable in the local log, never later:
 *
 *   submissions ─▶ duplicates decided in memory ─▶ log append + fsync (group commit) ─▶ answer, then live push
 *                                                          └─▶ store, in the background (store-writer.ts)
 *
 * Concurrent submissions are coalesced: the first starts a commit at once; those that arrive while it runs
 * share the next write and fsync. Duplicates are decided by key indexes warmed from the store at start
 * (key-index.ts) and, with several processes, by a shared claim (Redis), so the answer's `duplicates` is
 * exact without a store round trip per request. Neither the store nor the analytics it runs can stall an
 * answer: a slow or failed store only makes the log longer (up to `MCU_SPOOL_MAX_BYTES`, then 503).
 */
import crypto from 'node:crypto';
import type { IncidentInput, IncidentView, IngestResult, StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { IncidentStatusMessage } from '../../src/lib/contract/events.ts';
import type { CityPack } from '../city/pack.ts';
import type { Store } from '../store/client.ts';
import { existingIncidentIds } from '../store/queries/existing-ids.ts';
import { existingEventKeys } from '../store/queries/existing-events.ts';
import { eventKey, toEventRow, toIncidentRow, viewOfNewIncident, type EventRow, type IncidentRow } from './normalize.ts';
import { Spool, SpoolFullError, type SpoolEntry } from './spool.ts';
import { KeyIndex } from './key-index.ts';
import { PushQueue } from './push-queue.ts';
import { BulkGate } from './bulk-gate.ts';
import { hasSmallBehindLarge, take, takeSmall } from './commit-order.ts';
import { SLICE_ITEMS, nextTurn } from './validate.ts';
import { StoreWriter, type Kind } from './store-writer.ts';
import { warmKeyIndexes } from './warm.ts';
import type { IngestMetrics } from '../metrics.ts';

/** What ingest tells live clients once rows are durable (implemented over Socket.IO by server/realtime). */
export interface IngestPublisher {
	incident(view: IncidentView): void;
	status(msg: IncidentStatusMessage): void;
}

/** The answer to a stored batch (the contract's `IngestResult`). */
export type { IngestResult };

export { SpoolFullError };

/** Told after rows reach the store (not only the log): analytics recompute for these districts. */
export type StoredListener = (districts: ReadonlySet<string>) => void;

/** Several processes share one authority on duplicates: returns the keys another process claimed first. */
export type SharedClaim = (kind: Kind, keys: string[]) => Promise<Set<string>>;

interface Job<Row> {
	rows: Row[];
	publish: boolean;
	resolve: (r: IngestResult) => void;
	reject: (e: unknown) => void;
}


export interface PipelineDeps {
	store: Store;
	city: CityPack;
	spool: Spool;
	publisher?: IngestPublisher;
	metrics?: IngestMetrics;
	onStored?: StoredListener;
	/** Every row written to the store, after it is there (alerts, derived state). */
	onStoredRows?: (kind: Kind, rows: readonly IncidentRow[] | readonly EventRow[]) => void;
	claim?: SharedClaim;
	/** The live repeat index (server/places/repeat-index.ts): fed every accepted incident, gives `repeat_of` to its push. */
	repeats?: { observe(row: IncidentRow): string | null };
	log?: (msg: string) => void;
	now?: () => Date;
	/** Salt of the stored author hash (server/ingest/author.ts); without it authors are not stored. */
	authorSalt?: string;
}

interface Decided<Row> {
	jobs: Job<Row>[];
	accepted: Row[][];
	entry: SpoolEntry | null;
}

export class IngestPipeline {
	private incidentJobs: Job<IncidentRow>[] = [];
	private eventJobs: Job<EventRow>[] = [];
	private running: Promise<void> | null = null;
	/** The last commit took small submissions ahead of the queue (the next one is FIFO). */
	private lastCommitSmall = false;
	private closed = false;
	private ready: Promise<void> | null = null;
	/** Incident id → district, for status pushes. */
	readonly incidents: KeyIndex<string>;
	readonly events: KeyIndex<true>;
	private readonly writer: StoreWriter;
	/** Live pushes go out after the answers of their commit (push-queue.ts). */
	private readonly pushes = new PushQueue();

	constructor(private readonly deps: PipelineDeps) {
		this.incidents = new KeyIndex<string>(async (ids) => new Set((await existingIncidentIds(deps.store, ids)).keys()));
		this.events = new KeyIndex<true>((keys) => existingEventKeys(deps.store, [...new Set(keys.map((k) => k.split('\u0000')[0]!))]));
		this.writer = new StoreWriter({ store: deps.store, spool: deps.spool, onStored: (kind, rows, fresh, replayed) => this.stored(kind, rows, fresh, replayed), log: deps.log });
	}

	/** Warms the duplicate indexes from the store and the log, then starts writing the log to the store. */
	start(): Promise<void> {
		this.ready ??= (async () => {
			await warmKeyIndexes(this.deps.store, this.deps.spool, this.incidents, this.events);
			this.writer.start();
		})();
		return this.ready;
	}

	get storeUp(): boolean {
		return this.writer.storeUp;
	}

	/** Entries acknowledged but not yet in the store. */
	get spoolDepth(): { entries: number; bytes: number } {
		return this.deps.spool.depth;
	}

	/** The local log (tests observe its fsyncs). */
	get spool(): Spool {
		return this.deps.spool;
	}

	/** Bulk batches one at a time through validation and normalisation (bulk-gate.ts); small ones at once. */
	readonly bulkGate = new BulkGate();

	async submitIncidents(inputs: IncidentInput[], opts: { publish?: boolean } = {}): Promise<IngestResult> {
		const now = this.now();
		// Normalising (point in polygon, H3, the working-hours deadline) is the costly part of a bulk batch:
		// done in slices, other requests are read and answered in between.
		const rows = await this.bulkGate.through(inputs.length, async () => {
			const out: IncidentRow[] = [];
			for (let from = 0; from < inputs.length; from += SLICE_ITEMS) {
				if (from > 0) await nextTurn();
				for (const i of inputs.slice(from, from + SLICE_ITEMS)) out.push(toIncidentRow(i, this.deps.city, now, this.deps.authorSalt));
			}
			return out;
		});
		return this.enqueue(this.incidentJobs, rows, opts.publish ?? true);
	}

	submitEvents(inputs: StatusEventInput[], opts: { publish?: boolean } = {}): Promise<IngestResult> {
		const now = this.now();
		const rows = inputs.map((e) => toEventRow(e, now));
		return this.enqueue(this.eventJobs, rows, opts.publish ?? true);
	}

	/** Resolves when everything acknowledged so far is in the store. */
	async drain(): Promise<void> {
		while (this.running) await this.running;
		await this.writer.caughtUp();
	}

	/** Like `drain`, but waits at most `ms` (a snapshot must not hang on a failed store). */
	async settled(ms: number): Promise<void> {
		// Submissions still being committed are not waited for: they were not acknowledged before the read.
		await this.writer.caughtUp(ms);
	}

	/** No new submission is taken; the store gets what it can within `graceMs`, the rest stays in the log. */
	async close(graceMs = 5000): Promise<void> {
		this.closed = true;
		while (this.running) await this.running;
		if (this.ready) {
			await this.ready.catch(() => undefined);
			if (this.writer.storeUp) await this.settled(graceMs);
		}
		this.pushes.flush();
		await this.writer.stop();
		await this.deps.spool.close();
	}

	private now(): Date {
		return this.deps.now?.() ?? new Date();
	}

	private enqueue<Row>(queue: Job<Row>[], rows: Row[], publish: boolean): Promise<IngestResult> {
		if (this.closed) return Promise.reject(new SpoolFullError('the server is shutting down'));
		return new Promise((resolve, reject) => {
			queue.push({ rows, publish, resolve, reject });
			this.kick();
		});
	}

	private kick(): void {
		if (this.running) return;
		this.running = this.loop().finally(() => {
			this.running = null;
			if (this.incidentJobs.length + this.eventJobs.length > 0) this.kick();
		});
	}

	private async loop(): Promise<void> {
		try {
			await this.start();
		} catch (e) {
			// Without its indexes the pipeline cannot tell duplicates: refuse, and let the next submission retry.
			this.ready = null;
			for (const job of [...this.incidentJobs.splice(0), ...this.eventJobs.splice(0)]) job.reject(e);
			return;
		}
		while (this.incidentJobs.length > 0 || this.eventJobs.length > 0) {
			const smallFirst = !this.lastCommitSmall && (hasSmallBehindLarge(this.incidentJobs) || hasSmallBehindLarge(this.eventJobs));
			this.lastCommitSmall = smallFirst;
			const incidentJobs = smallFirst ? takeSmall(this.incidentJobs) : take(this.incidentJobs);
			const eventJobs = smallFirst ? takeSmall(this.eventJobs) : take(this.eventJobs);
			try {
				await this.commit(incidentJobs, eventJobs);
			} catch (e) {
				// An unexpected error fails its own jobs (a 5xx, never a hang) and leaves the loop running.
				if (!(e instanceof SpoolFullError)) this.deps.log?.(`ingest commit failed: ${(e as Error).stack ?? e}`);
				for (const job of [...incidentJobs, ...eventJobs]) job.reject(e);
			}
		}
	}

	/** One group commit: decide duplicates, append both kinds with one fsync, then answer and push. */
	private async commit(incidentJobs: Job<IncidentRow>[], eventJobs: Job<EventRow>[]): Promise<void> {
		const inc = await this.decide('incidents', incidentJobs, (r) => r.id, this.incidents);
		const ev = await this.decide('events', eventJobs, eventKey, this.events);
		const entries = [inc.entry, ev.entry].filter((e): e is SpoolEntry => e !== null);
		try {
			await this.deps.spool.appendMany(entries);
		} catch (e) {
			for (const e2 of entries) this.deps.metrics?.rejected(e2.kind, e2.rows.length);
			throw e;
		}
		for (const row of inc.entry?.rows ?? []) this.incidents.markPending((row as IncidentRow).id, (row as IncidentRow).district);
		for (const row of ev.entry?.rows ?? []) this.events.markPending(eventKey(row as EventRow), true);
		this.writer.appendedEntries(entries.length);
		this.answer('incidents', inc);
		this.answer('events', ev);
		this.publishIncidents(inc);
		this.publishEvents(ev);
	}

	private async decide<Row>(kind: Kind, jobs: Job<Row>[], keyOf: (r: Row) => string, index: KeyIndex<unknown>): Promise<Decided<Row>> {
		if (jobs.length === 0) return { jobs, accepted: [], entry: null };
		// Duplicates within the commit: the first submission of a key wins.
		const seen = new Set<string>();
		const firsts = jobs.map((job) =>
			job.rows.filter((row) => {
				const k = keyOf(row);
				if (seen.has(k)) return false;
				seen.add(k);
				return true;
			})
		);
		const keys = [...seen];
		const { known, unverified } = await index.classify(keys);
		if (this.deps.claim) {
			const fresh = keys.filter((k) => !known.has(k));
			for (const k of await this.deps.claim(kind, fresh)) known.add(k);
		}
		const accepted = firsts.map((rows) => rows.filter((r) => !known.has(keyOf(r))));
		const rows = accepted.flat();
		const entry: SpoolEntry | null =
			rows.length === 0 ? null : { kind, token: batchToken(rows.map(keyOf)), rows, ...(unverified.size > 0 ? { verify: true } : {}) };
		return { jobs, accepted, entry };
	}

	private answer<Row>(kind: Kind, d: Decided<Row>): void {
		let total = 0;
		let accepted = 0;
		d.jobs.forEach((job, i) => {
			total += job.rows.length;
			accepted += d.accepted[i]!.length;
			job.resolve({ accepted: d.accepted[i]!.length, duplicates: job.rows.length - d.accepted[i]!.length });
		});
		if (d.jobs.length > 0) this.deps.metrics?.batch(kind, total, accepted);
	}

	private publishIncidents(d: Decided<IncidentRow>): void {
		const publisher = this.deps.publisher;
		const repeats = this.deps.repeats;
		d.jobs.forEach((job, i) => {
			for (const row of d.accepted[i]!) {
				// Every accepted incident, published or not, feeds the repeat index in arrival order.
				const repeatOf = repeats ? repeats.observe(row) : null;
				if (publisher && job.publish) {
					const view = viewOfNewIncident(row, repeatOf);
					this.pushes.push(() => publisher.incident(view));
				}
			}
		});
	}

	private publishEvents(d: Decided<EventRow>): void {
		const publisher = this.deps.publisher;
		if (!publisher) return;
		const unknown: EventRow[] = [];
		const send = (e: EventRow, district: string) =>
			this.pushes.push(() => publisher.status({ incident_id: e.incident_id, type: e.type as never, at: e.at, executor: e.executor, district }));
		d.jobs.forEach((job, i) => {
			if (!job.publish) return;
			for (const e of d.accepted[i]!) {
				const district = this.incidents.valueOf(e.incident_id);
				if (district !== undefined) send(e, district);
				else unknown.push(e);
			}
		});
		if (unknown.length === 0 || !this.writer.storeUp) return;
		// An older incident: its district comes from the store, off the answer's path. An event whose
		// incident has not arrived yet belongs to no scope: nobody is told.
		void existingIncidentIds(this.deps.store, [...new Set(unknown.map((e) => e.incident_id))]).then(
			(districts) => {
				for (const e of unknown) {
					const district = districts.get(e.incident_id);
					if (district !== undefined) send(e, district);
				}
			},
			() => undefined
		);
	}

	private stored(kind: Kind, rows: unknown[], fresh: number, replayed: boolean): void {
		if (replayed) this.deps.metrics?.replayed(kind, fresh);
		if (kind === 'incidents') {
			const incidents = rows as IncidentRow[];
			for (const r of incidents) this.incidents.markStored(r.id);
			this.deps.onStoredRows?.(kind, incidents);
			this.deps.onStored?.(new Set(incidents.map((r) => r.district)));
		} else {
			const events = rows as EventRow[];
			for (const r of events) this.events.markStored(eventKey(r));
			this.deps.onStoredRows?.(kind, events);
			// Status events: which districts they touch is not known without a lookup; an empty set means "any".
			this.deps.onStored?.(new Set());
		}
	}
}

function batchToken(keys: string[]): string {
	const h = crypto.createHash('sha256');
	for (const k of keys) h.update(k).update('\n');
	return h.digest('hex');
}
