/**
 * The ingest pipeline: coalesces concurrent submissions into micro-batches, removes duplicates (within the
 * batch and against the store), writes each batch to the store once, or to the durable spool when the store
 * fails or older batches still wait there, and only then answers. All store writes run one at a time in
 * order, so replaying the spool keeps the order of acknowledgement.
 *
 * A submission never waits for a timer: the first one starts a flush at once; those that arrive while it
 * runs form the next batch.
 */
import crypto from 'node:crypto';
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { CityPack } from '../city/pack.ts';
import { pingStore, type Store } from '../store/client.ts';
import { existingIncidentIds } from '../store/queries/existing-ids.ts';
import { existingEventKeys } from '../store/queries/existing-events.ts';
import { eventKey, toEventRow, toIncidentRow, viewOfNewIncident, type EventRow, type IncidentRow } from './normalize.ts';
import { Spool, SpoolFullError, type SpoolEntry } from './spool.ts';
import type { LivePublisher } from '../realtime/publisher.ts';
import type { IngestMetrics } from '../metrics.ts';

export interface IngestResult {
	accepted: number;
	duplicates: number;
}

export { SpoolFullError };

/** Told after rows reach the store (not the spool): analytics recompute for these districts. */
export type StoredListener = (districts: ReadonlySet<string>) => void;

interface Job<Row> {
	rows: Row[];
	publish: boolean;
	resolve: (r: IngestResult) => void;
	reject: (e: unknown) => void;
}

/** Largest batch written at once; bigger queues are written in several. */
const MAX_BATCH_ROWS = 50_000;
/** How often a failed store is probed while batches wait in the spool. */
const RETRY_MS = 1000;

export interface PipelineDeps {
	store: Store;
	city: CityPack;
	spool: Spool;
	publisher?: LivePublisher;
	metrics?: IngestMetrics;
	onStored?: StoredListener;
	log?: (msg: string) => void;
	now?: () => Date;
	/** Salt of the stored author hash (server/ingest/author.ts); without it authors are not stored. */
	authorSalt?: string;
}

export class IngestPipeline {
	private incidentJobs: Job<IncidentRow>[] = [];
	private eventJobs: Job<EventRow>[] = [];
	private running: Promise<void> | null = null;
	private retryTimer: NodeJS.Timeout | null = null;
	private storeHealthy = true;
	private closed = false;
	/** A replay is due: the write loop runs it between batches, so steady ingest cannot starve it. */
	private replayDue = false;

	constructor(private readonly deps: PipelineDeps) {
		if (deps.spool.hasPending) this.scheduleReplay(0);
	}

	get storeUp(): boolean {
		return this.storeHealthy;
	}

	get spoolDepth(): { entries: number; bytes: number } {
		return this.deps.spool.depth;
	}

	submitIncidents(inputs: IncidentInput[], opts: { publish?: boolean } = {}): Promise<IngestResult> {
		const now = this.now();
		const rows = inputs.map((i) => toIncidentRow(i, this.deps.city, now, this.deps.authorSalt));
		return this.enqueue(this.incidentJobs, rows, opts.publish ?? true);
	}

	submitEvents(inputs: StatusEventInput[], opts: { publish?: boolean } = {}): Promise<IngestResult> {
		const now = this.now();
		const rows = inputs.map((e) => toEventRow(e, now));
		return this.enqueue(this.eventJobs, rows, opts.publish ?? true);
	}

	/** Waits for queued work; then no new submission is taken. */
	async close(): Promise<void> {
		this.closed = true;
		if (this.retryTimer) clearTimeout(this.retryTimer);
		while (this.running) await this.running;
		await this.deps.spool.close();
	}

	/** Resolves when everything queued so far has been written (store or spool). */
	async drain(): Promise<void> {
		while (this.running) await this.running;
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
			if (this.incidentJobs.length + this.eventJobs.length > 0 || this.replayDue) this.kick();
		});
	}

	private async loop(): Promise<void> {
		while (this.replayDue || this.incidentJobs.length > 0 || this.eventJobs.length > 0) {
			if (this.replayDue) {
				this.replayDue = false;
				await this.replay();
				continue;
			}
			if (this.incidentJobs.length > 0) {
				await this.guarded(take(this.incidentJobs), (jobs) => this.flush('incidents', jobs, (r) => r.id, (rows) => this.existingIncidents(rows)));
			}
			if (this.eventJobs.length > 0) {
				await this.guarded(take(this.eventJobs), (jobs) => this.flush('events', jobs, eventKey, (rows) => this.existingEvents(rows)));
			}
		}
	}

	/** An unexpected error fails its own jobs (a 5xx, never a hang) and leaves the loop running. */
	private async guarded<Row>(jobs: Job<Row>[], run: (jobs: Job<Row>[]) => Promise<void>): Promise<void> {
		try {
			await run(jobs);
		} catch (e) {
			this.deps.log?.(`ingest batch failed: ${(e as Error).stack ?? e}`);
			for (const job of jobs) job.reject(e);
		}
	}

	private async flush<Row>(
		kind: SpoolEntry['kind'],
		jobs: Job<Row>[],
		keyOf: (r: Row) => string,
		existing: (rows: Row[]) => Promise<Set<string>>
	): Promise<void> {
		// Duplicates within the batch: the first submission of a key wins.
		const seen = new Set<string>();
		const fresh: Row[][] = jobs.map((job) =>
			job.rows.filter((row) => {
				const k = keyOf(row);
				if (seen.has(k)) return false;
				seen.add(k);
				return true;
			})
		);
		const candidates = fresh.flat();
		const token = batchToken(candidates.map(keyOf));
		let stored: Set<string> = new Set();
		let toSpool = this.deps.spool.hasPending || !this.storeHealthy;
		if (!toSpool) {
			try {
				stored = await existing(candidates);
				const rows = candidates.filter((r) => !stored.has(keyOf(r)));
				if (rows.length > 0) await this.insert(kind, rows, token);
			} catch (e) {
				this.markStoreDown(e);
				toSpool = true;
			}
		}
		if (toSpool) {
			try {
				if (candidates.length > 0) await this.deps.spool.append({ kind, token, rows: candidates });
				this.deps.metrics?.spooled(kind, candidates.length);
				this.scheduleReplay(RETRY_MS);
			} catch (e) {
				this.deps.metrics?.rejected(kind, candidates.length);
				for (const job of jobs) job.reject(e);
				this.scheduleReplay(RETRY_MS);
				return;
			}
		}
		const acceptedRows: Row[] = [];
		let acceptedTotal = 0;
		jobs.forEach((job, i) => {
			const accepted = fresh[i]!.filter((r) => !stored.has(keyOf(r)));
			acceptedTotal += accepted.length;
			if (job.publish) acceptedRows.push(...accepted);
			job.resolve({ accepted: accepted.length, duplicates: job.rows.length - accepted.length });
		});
		this.deps.metrics?.batch(kind, candidates.length, acceptedTotal);
		await this.publish(kind, acceptedRows as IncidentRow[] & EventRow[], !toSpool);
	}

	private async insert(kind: SpoolEntry['kind'], rows: unknown[], token: string): Promise<void> {
		await this.deps.store.insert({
			table: kind === 'incidents' ? 'incidents' : 'incident_events',
			values: rows,
			format: 'JSONEachRow',
			clickhouse_settings: { insert_deduplication_token: token, log_comment: `ingest_${kind}` }
		});
		if (kind === 'incidents') {
			this.deps.onStored?.(new Set((rows as IncidentRow[]).map((r) => r.district)));
		} else {
			// Status events: which districts they touch is not known without a lookup; an empty set means "any".
			this.deps.onStored?.(new Set());
		}
	}

	private async publish(kind: SpoolEntry['kind'], rows: IncidentRow[] | EventRow[], storeReachable: boolean): Promise<void> {
		const publisher = this.deps.publisher;
		if (!publisher || rows.length === 0) return;
		if (kind === 'incidents') {
			for (const row of rows as IncidentRow[]) publisher.incident(viewOfNewIncident(row));
			return;
		}
		if (!storeReachable) return;
		const events = rows as EventRow[];
		let districts: Map<string, string>;
		try {
			districts = await existingIncidentIds(this.deps.store, [...new Set(events.map((e) => e.incident_id))]);
		} catch {
			return;
		}
		for (const e of events) {
			const district = districts.get(e.incident_id);
			// An event whose incident has not arrived yet belongs to no scope: nobody is told.
			if (district === undefined) continue;
			publisher.status({ incident_id: e.incident_id, type: e.type as never, at: e.at, executor: e.executor, district });
		}
	}

	private async existingIncidents(rows: IncidentRow[]): Promise<Set<string>> {
		return new Set((await existingIncidentIds(this.deps.store, rows.map((r) => r.id))).keys());
	}

	private async existingEvents(rows: EventRow[]): Promise<Set<string>> {
		return existingEventKeys(this.deps.store, [...new Set(rows.map((r) => r.incident_id))]);
	}

	private markStoreDown(e: unknown): void {
		if (this.storeHealthy) this.deps.log?.(`store write failed, spooling: ${(e as Error).message}`);
		this.storeHealthy = false;
	}

	private scheduleReplay(delayMs: number): void {
		if (this.retryTimer || this.closed) return;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			this.replayDue = true;
			this.kick();
		}, delayMs);
		this.retryTimer.unref();
	}

	private async replay(): Promise<void> {
		const spool = this.deps.spool;
		try {
			if (!spool.hasPending && !this.storeHealthy && !(await pingStore(this.deps.store))) {
				throw new Error('store still unreachable');
			}
			for (let next = await spool.peek(); next; next = await spool.peek()) {
				const { entry, end } = next;
				if (entry.kind === 'incidents') {
					const rows = entry.rows as IncidentRow[];
					const stored = await this.existingIncidents(rows);
					const fresh = rows.filter((r) => !stored.has(r.id));
					if (fresh.length > 0) await this.insert('incidents', fresh, entry.token);
				} else {
					const rows = entry.rows as EventRow[];
					const stored = await this.existingEvents(rows);
					const fresh = rows.filter((r) => !stored.has(eventKey(r)));
					if (fresh.length > 0) await this.insert('events', fresh, entry.token);
				}
				await spool.commit(end);
				this.deps.metrics?.replayed(entry.kind, entry.rows.length);
			}
			if (!this.storeHealthy) this.deps.log?.('store is back; spool replayed');
			this.storeHealthy = true;
		} catch (e) {
			this.markStoreDown(e);
			this.scheduleReplay(RETRY_MS);
		}
	}
}

function take<T>(queue: T[]): T[] {
	let rows = 0;
	let n = 0;
	while (n < queue.length && (n === 0 || rows + (queue[n] as { rows: unknown[] }).rows.length <= MAX_BATCH_ROWS)) {
		rows += (queue[n] as { rows: unknown[] }).rows.length;
		n++;
	}
	return queue.splice(0, n);
}

function batchToken(keys: string[]): string {
	const h = crypto.createHash('sha256');
	for (const k of keys) h.update(k).update('\n');
	return h.digest('hex');
}
