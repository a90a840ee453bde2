/**
 * The local write-ahead log of ingest (`$MCU_DATA_DIR/spool/spool.log`): every acknowledged batch is one
 * JSON line here, fsynced before the answer, and the store is written from it in the background. Entries
 * that arrive together share one write and one fsync (group commit). A separate offset file records how far
 * the store has got; it is replaced atomically (write, fsync, rename). A torn last line (the process died
 * mid-write) was never acknowledged and is cut off at open.
 *
 * The log empties itself when the store has everything; under sustained ingest, where that moment may not
 * come, the stored head is cut off once it is large (the pending tail is copied to a new file). The file
 * work runs on a thread of its own (log-file.ts), so an fsync never queues behind the engine's queries.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LogFile } from './log-file.ts';

export interface SpoolEntry<Row = unknown> {
	kind: 'incidents' | 'events';
	/** Identifies the batch for the engine's insert deduplication. */
	token: string;
	rows: Row[];
	/** Some rows could not be checked for duplicates when acknowledged: the store is asked before the insert. */
	verify?: boolean;
}

export class SpoolFullError extends Error {
	constructor(reason: string) {
		super(reason);
	}
}

/** Pending entries read at once, and where the next read starts. */
export interface PendingEntries {
	entries: SpoolEntry[];
	/** Offset just past each entry. */
	ends: number[];
}

/** What one fsync made durable. */
export interface SyncInfo {
	entries: readonly SpoolEntry[];
	bytes: number;
	/** Number of this fsync since the log was opened. */
	sync: number;
}

/** The stored head is cut off once it is at least this large. */
const COMPACT_AT_BYTES = 64 * 1024 * 1024;
const READ_CHUNK = 1 << 20;
/** Parsed entries kept for the store writer. */
const TAIL_MAX_BYTES = 64 * 1024 * 1024;

export class Spool {
	private readonly logPath: string;
	private readonly offsetPath: string;
	/** Byte offset up to which entries have reached the store. */
	private committed = 0;
	/** Size of the log file: everything past `committed` is pending. */
	private size = 0;
	private pendingEntries = 0;
	/** Every file operation after the start-up recovery runs on the log's own thread (log-file.ts). */
	private readonly file: LogFile;
	/** File operations run one at a time: appends, reads and the cut of the head never interleave. */
	private lock: Promise<unknown> = Promise.resolve();
	private syncs = 0;
	/**
	 * The latest appended entries, still parsed, with their offsets: the store writer takes them from here
	 * instead of reading and parsing the file again. Bounded in bytes; older ones are read from the file.
	 */
	private tail: { start: number; end: number; entry: SpoolEntry }[] = [];
	private tailBytes = 0;
	private readonly syncListeners: ((info: SyncInfo) => void)[] = [];

	constructor(
		dir: string,
		private readonly maxBytes: number,
		private readonly opts: { compactAtBytes?: number } = {}
	) {
		fs.mkdirSync(dir, { recursive: true });
		this.logPath = path.join(dir, 'spool.log');
		this.offsetPath = path.join(dir, 'spool.offset');
		this.recover();
		this.file = new LogFile(this.logPath);
	}

	get depth(): { entries: number; bytes: number } {
		return { entries: this.pendingEntries, bytes: this.size - this.committed };
	}

	get hasPending(): boolean {
		return this.pendingEntries > 0;
	}

	/** How many fsyncs of appended entries have completed. */
	get syncCount(): number {
		return this.syncs;
	}

	/** Told after each fsync of appended entries, before their appenders resume. */
	onSync(fn: (info: SyncInfo) => void): void {
		this.syncListeners.push(fn);
	}

	async append(entry: SpoolEntry): Promise<void> {
		await this.appendMany([entry]);
	}

	/** Appends entries with one write and one fsync; all or none of them count. */
	appendMany(entries: readonly SpoolEntry[]): Promise<void> {
		if (entries.length === 0) return Promise.resolve();
		const lines = entries.map((e) => JSON.stringify(e) + '\n');
		const data = Buffer.from(lines.join(''), 'utf8');
		return this.exclusive(async () => {
			if (this.size - this.committed + data.length > this.maxBytes) {
				throw new SpoolFullError(`spool is full (${this.maxBytes} bytes)`);
			}
			try {
				// one write and one fdatasync; a short write (a nearly full disk) is a failed write too
				await this.file.append(data);
			} catch (e) {
				// A failed or partial write (ENOSPC) leaves a torn tail: cut it so the next entry starts clean.
				await this.truncateTo(this.size);
				throw new SpoolFullError(`spool write failed: ${(e as Error).message}`);
			}
			let at = this.size;
			entries.forEach((entry, i) => {
				const end = at + Buffer.byteLength(lines[i]!);
				this.tail.push({ start: at, end, entry });
				at = end;
			});
			this.tailBytes += data.length;
			while (this.tailBytes > TAIL_MAX_BYTES && this.tail.length > 0) {
				const old = this.tail.shift()!;
				this.tailBytes -= old.end - old.start;
			}
			this.size += data.length;
			this.pendingEntries += entries.length;
			this.syncs++;
			for (const fn of this.syncListeners) fn({ entries, bytes: data.length, sync: this.syncs });
		});
	}

	/** The oldest pending entry and the offset just past it, or null when nothing is pending. */
	async peek(): Promise<{ entry: SpoolEntry; end: number } | null> {
		const p = await this.readPending(1);
		return p.entries.length > 0 ? { entry: p.entries[0]!, end: p.ends[0]! } : null;
	}

	/**
	 * Pending entries from the oldest on (or from `from`, an offset `ends` gave), up to `maxEntries` and
	 * about `maxBytes` (at least one entry).
	 */
	readPending(maxEntries: number, maxBytes = 32 * 1024 * 1024, from?: number): Promise<PendingEntries> {
		return this.exclusive(async () => {
			const out: PendingEntries = { entries: [], ends: [] };
			const start = Math.max(from ?? this.committed, this.committed);
			if (!this.hasPending || start >= this.size) return out;
			const i = this.tailIndexOf(start);
			if (i >= 0) {
				for (let j = i; j < this.tail.length && out.entries.length < maxEntries; j++) {
					out.entries.push(this.tail[j]!.entry);
					out.ends.push(this.tail[j]!.end);
					if (this.tail[j]!.end - start >= maxBytes) break;
				}
				return out;
			}
			let pos = start;
			let carry: Buffer = Buffer.alloc(0);
			let carryStart = pos;
			while (pos < this.size && out.entries.length < maxEntries) {
				const read = await this.file.read(pos, Math.min(READ_CHUNK, this.size - pos));
				if (read.length === 0) break;
				const chunk = carry.length > 0 ? Buffer.concat([carry, read]) : read;
				pos += read.length;
				let at = 0;
				for (let nl = chunk.indexOf(10, at); nl >= 0 && out.entries.length < maxEntries; nl = chunk.indexOf(10, at)) {
					out.entries.push(JSON.parse(chunk.subarray(at, nl).toString('utf8')) as SpoolEntry);
					out.ends.push(carryStart + nl + 1);
					at = nl + 1;
					if (carryStart + at - start >= maxBytes) return out;
				}
				carry = Buffer.from(chunk.subarray(at));
				carryStart += at;
			}
			return out;
		});
	}

	/** Marks everything before `end` (`entries` entries) as stored. When the log is drained it is emptied. */
	commit(end: number, entries = 1): Promise<void> {
		return this.exclusive(async () => {
			this.committed = end;
			this.pendingEntries = Math.max(0, this.pendingEntries - entries);
			this.trimTail(end);
			if (this.committed >= this.size) {
				this.trimTail(null);
				await this.truncateTo(0);
				this.committed = 0;
				this.pendingEntries = 0;
			} else if (this.committed >= (this.opts.compactAtBytes ?? COMPACT_AT_BYTES)) {
				this.trimTail(null);
				await this.cutHead();
				return;
			}
			// The offset only saves work after a restart (replayed rows are checked against the store): a full
			// disk must not stop the replay that is about to free it.
			await this.file.writeAtomically(this.offsetPath, String(this.committed)).catch(() => undefined);
		});
	}

	async close(): Promise<void> {
		await this.exclusive(() => this.file.close());
	}

	/** Index of the tail entry starting at `offset`, or -1. */
	private tailIndexOf(offset: number): number {
		if (this.tail.length === 0 || offset < this.tail[0]!.start || offset > this.tail.at(-1)!.start) return -1;
		let lo = 0;
		let hi = this.tail.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const s = this.tail[mid]!.start;
			if (s === offset) return mid;
			if (s < offset) lo = mid + 1;
			else hi = mid - 1;
		}
		return -1;
	}

	/** Forgets tail entries before `offset`; all of them when the offsets change (emptied or cut log). */
	private trimTail(offset: number | null): void {
		if (offset === null) {
			this.tail = [];
			this.tailBytes = 0;
			return;
		}
		let n = 0;
		while (n < this.tail.length && this.tail[n]!.end <= offset) {
			this.tailBytes -= this.tail[n]!.end - this.tail[n]!.start;
			n++;
		}
		if (n > 0) this.tail.splice(0, n);
	}

	private exclusive<T>(fn: () => Promise<T>): Promise<T> {
		const run = this.lock.then(fn, fn);
		this.lock = run.catch(() => undefined);
		return run;
	}

	/**
	 * Copies the pending tail to a new file that replaces the log. The offset is reset first: a crash between
	 * the two replays the old log from its start, which the start-up replay checks against the store.
	 */
	private async cutHead(): Promise<void> {
		this.size = await this.file.cutHead(this.committed, this.size, this.offsetPath);
		this.committed = 0;
	}

	private async truncateTo(size: number): Promise<void> {
		await this.file.truncate(size).catch(() => undefined);
		this.size = size;
	}

	private recover(): void {
		if (!fs.existsSync(this.logPath)) fs.writeFileSync(this.logPath, '');
		const data = fs.readFileSync(this.logPath);
		const lastNl = data.lastIndexOf(10);
		const intact = lastNl + 1;
		if (intact < data.length) fs.truncateSync(this.logPath, intact);
		this.size = intact;
		const stored = fs.existsSync(this.offsetPath) ? Number(fs.readFileSync(this.offsetPath, 'utf8')) : 0;
		// An offset past the end, or not at an entry boundary, is not trusted: replay from the start.
		const valid = Number.isInteger(stored) && stored >= 0 && stored <= intact && (stored === 0 || data[stored - 1] === 10);
		this.committed = valid ? stored : 0;
		let entries = 0;
		for (let i = this.committed; i < intact; i++) if (data[i] === 10) entries++;
		this.pendingEntries = entries;
	}
}
