/**
 * Writes the local log to the store in the background, oldest entry first, in large batches: consecutive
 * entries of one kind become one insert. An entry leaves the log only after its insert succeeded, so every
 * acknowledged row reaches the store, in acknowledgement order; a failed insert is retried until the store
 * is back (probing once a second).
 *
 * Exactly once: rows the log acknowledged in this process were new when acknowledged, so they are inserted
 * unchecked. Entries left by an earlier process (it may have died between an insert and its commit), entries
 * marked `verify`, and the retry of a failed insert are first checked against the store; a retried batch
 * also carries the same `insert_deduplication_token`.
 */
import crypto from 'node:crypto';
import type { Store } from '../store/client.ts';
import { existingIncidentIds } from '../store/queries/existing-ids.ts';
import { existingEventKeys } from '../store/queries/existing-events.ts';
import { eventKey, type EventRow, type IncidentRow } from './normalize.ts';
import type { Spool, SpoolEntry } from './spool.ts';
import { InterruptibleSleep } from '../interruptible-sleep.ts';

/** Largest insert; a longer run of entries is written in several. */
const MAX_BATCH_ROWS = 50_000;
/** Entries read from the log at once. */
const READ_ENTRIES = 2_000;
/** How often a failed store is tried again. */
const RETRY_MS = 1000;
/**
 * Inserts start at most this often: under sustained ingest the entries of the pause join one larger insert
 * (fewer parts, fewer merges); a lone entry after a quiet moment is written at once. At 100 single
 * incidents a second, 100 ms between inserts kept the engine's threads busy for a third of a core (inserts,
 * projections, the place-days view, merges) beside a main thread fanning out to the walls on two cores;
 * 500 ms took that to a tenth. A reader waiting for its writes (`caughtUp`) shortens the pause to 100 ms
 * since the last insert, so read-your-writes waits no longer than it did before.
 */
const MIN_INSERT_GAP_MS = 500;
/** Inserts never start more often than this, readers waiting or not (the gap before there was a pause). */
const MIN_INSERT_GAP_WITH_READER_MS = 100;

export type Kind = SpoolEntry['kind'];

export interface StoreWriterDeps {
	store: Store;
	spool: Spool;
	/** Rows now in the store (all rows of the batch, including any found there already). */
	onStored(kind: Kind, rows: unknown[], fresh: number, replayed: boolean): void;
	log?: (msg: string) => void;
}

export class StoreWriter {
	private healthy = true;
	private stopped = false;
	private running: Promise<void> | null = null;
	private wake: (() => void) | null = null;
	/** The pause between retries: only stopping ends it early (new entries must not hammer a failed store). */
	private readonly retryPause = new InterruptibleSleep();
	/** The pause between inserts: a waiting reader or stopping ends it early. */
	private readonly insertPause = new InterruptibleSleep();
	/** Entries of the log that an earlier process wrote: checked against the store before their insert. */
	private doubtful: number;
	/** Entries appended, and entries written to the store, since start (the doubtful ones count as appended). */
	private appended: number;
	private stored = 0;
	private waiters: { target: number; resolve: () => void }[] = [];
	private lastInsertAt = 0;

	constructor(private readonly deps: StoreWriterDeps) {
		this.doubtful = deps.spool.depth.entries;
		this.appended = this.doubtful;
	}

	get storeUp(): boolean {
		return this.healthy;
	}

	start(): void {
		this.stopped = false;
		this.running ??= this.loop().finally(() => (this.running = null));
	}

	/** New entries are in the log. */
	appendedEntries(n: number): void {
		this.appended += n;
		this.wake?.();
	}

	/**
	 * Resolves once everything appended so far is in the store, or after `timeoutMs`: a waiter that gave up
	 * is removed, so reads during a long outage leave nothing behind.
	 */
	caughtUp(timeoutMs?: number): Promise<void> {
		const target = this.appended;
		if (this.stored >= target) return Promise.resolve();
		return new Promise((resolve) => {
			const waiter = { target, resolve };
			this.waiters.push(waiter);
			this.insertPause.interrupt();
			if (timeoutMs === undefined) return;
			setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w !== waiter);
				resolve();
			}, timeoutMs).unref();
		});
	}

	/** Stops after the insert in flight; what is still pending stays in the log for the next start. */
	async stop(): Promise<void> {
		this.stopped = true;
		this.wake?.();
		this.retryPause.interrupt();
		this.insertPause.interrupt();
		await this.running;
	}

	private async loop(): Promise<void> {
		const spool = this.deps.spool;
		while (!this.stopped) {
			if (!spool.hasPending) {
				await new Promise<void>((resolve) => (this.wake = resolve));
				this.wake = null;
				continue;
			}
			const gap = MIN_INSERT_GAP_MS - (Date.now() - this.lastInsertAt);
			if (gap > 0 && this.waiters.length === 0) await this.insertPause.sleep(gap);
			if (this.stopped) break;
			const readerGap = MIN_INSERT_GAP_WITH_READER_MS - (Date.now() - this.lastInsertAt);
			if (readerGap > 0) await new Promise((resolve) => setTimeout(resolve, readerGap));
			this.lastInsertAt = Date.now();
			const { entries, ends } = await spool.readPending(READ_ENTRIES);
			for (let i = 0; i < entries.length && !this.stopped; ) {
				const kind = entries[i]!.kind;
				const rows: unknown[] = [];
				let verify = this.doubtful > 0;
				let j = i;
				while (j < entries.length && entries[j]!.kind === kind && (j === i || rows.length + entries[j]!.rows.length <= MAX_BATCH_ROWS)) {
					for (const r of entries[j]!.rows) rows.push(r);
					verify ||= entries[j]!.verify === true;
					j++;
				}
				if (!(await this.write(kind, rows, verify))) return;
				await spool.commit(ends[j - 1]!, j - i);
				this.doubtful = Math.max(0, this.doubtful - (j - i));
				this.stored += j - i;
				this.waiters = this.waiters.filter((w) => (w.target <= this.stored ? (w.resolve(), false) : true));
				i = j;
			}
		}
	}

	/** True once the rows are in the store; false when stopped before that. */
	private async write(kind: Kind, rows: unknown[], verify: boolean): Promise<boolean> {
		const keyOf = kind === 'incidents' ? (r: unknown) => (r as IncidentRow).id : (r: unknown) => eventKey(r as EventRow);
		for (let attempt = 0; ; attempt++) {
			try {
				let fresh = rows;
				if (verify || attempt > 0) {
					const stored = await this.existing(kind, rows);
					fresh = rows.filter((r) => !stored.has(keyOf(r)));
				}
				if (fresh.length > 0) {
					await this.deps.store.insert({
						table: kind === 'incidents' ? 'incidents' : 'incident_events',
						values: fresh,
						format: 'JSONEachRow',
						clickhouse_settings: { insert_deduplication_token: batchToken(fresh.map(keyOf)), log_comment: `ingest_${kind}` }
					});
				}
				if (!this.healthy) this.deps.log?.('store is back; the ingest log is being written to it');
				this.healthy = true;
				this.deps.onStored(kind, rows, fresh.length, verify || attempt > 0);
				return true;
			} catch (e) {
				if (this.healthy) this.deps.log?.(`store write failed, keeping batches in the ingest log: ${(e as Error).message}`);
				this.healthy = false;
				if (this.stopped) return false;
				await this.retryPause.sleep(RETRY_MS);
				if (this.stopped) return false;
			}
		}
	}

	private async existing(kind: Kind, rows: unknown[]): Promise<Set<string>> {
		if (kind === 'incidents') {
			return new Set((await existingIncidentIds(this.deps.store, (rows as IncidentRow[]).map((r) => r.id))).keys());
		}
		return existingEventKeys(this.deps.store, [...new Set((rows as EventRow[]).map((r) => r.incident_id))]);
	}
}

function batchToken(keys: string[]): string {
	const h = crypto.createHash('sha256');
	for (const k of keys) h.update(k).update('\n');
	return h.digest('hex');
}
