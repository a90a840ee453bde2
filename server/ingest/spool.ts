/**
 * The durable spool: an append-only log of batches that could not be written to the store (or that arrived
 * while older ones were still waiting). Each entry is one JSON line, fsynced before the ingest answer.
 * A separate offset file records how far replay has got; it is replaced atomically (write, fsync, rename).
 * A torn last line (the process died mid-write) was never acknowledged and is cut off at open.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';

export interface SpoolEntry<Row = unknown> {
	kind: 'incidents' | 'events';
	/** Identifies the batch for the engine's insert deduplication. */
	token: string;
	rows: Row[];
}

export class SpoolFullError extends Error {
	constructor(reason: string) {
		super(reason);
	}
}

export class Spool {
	private readonly logPath: string;
	private readonly offsetPath: string;
	/** Byte offset up to which entries have reached the store. */
	private committed = 0;
	/** Size of the log file: everything past `committed` is pending. */
	private size = 0;
	private pendingEntries = 0;
	private handle: fsp.FileHandle | null = null;

	constructor(
		dir: string,
		private readonly maxBytes: number
	) {
		fs.mkdirSync(dir, { recursive: true });
		this.logPath = path.join(dir, 'spool.log');
		this.offsetPath = path.join(dir, 'spool.offset');
		this.recover();
	}

	get depth(): { entries: number; bytes: number } {
		return { entries: this.pendingEntries, bytes: this.size - this.committed };
	}

	get hasPending(): boolean {
		return this.pendingEntries > 0;
	}

	async append(entry: SpoolEntry): Promise<void> {
		const line = Buffer.from(JSON.stringify(entry) + '\n', 'utf8');
		if (this.size - this.committed + line.length > this.maxBytes) {
			throw new SpoolFullError(`spool is full (${this.maxBytes} bytes)`);
		}
		this.handle ??= await fsp.open(this.logPath, 'a');
		try {
			// A nearly full disk takes part of a line and reports no error: that is a failed write too.
			const { bytesWritten } = await this.handle.write(line, 0, line.length);
			if (bytesWritten !== line.length) throw new Error(`short write (${bytesWritten} of ${line.length} bytes): no space left`);
			await this.handle.datasync();
		} catch (e) {
			// A failed or partial write (ENOSPC) leaves a torn tail: cut it so the next entry starts clean.
			await this.truncateTo(this.size);
			throw new SpoolFullError(`spool write failed: ${(e as Error).message}`);
		}
		this.size += line.length;
		this.pendingEntries += 1;
	}

	/** The oldest pending entry and the offset just past it, or null when nothing is pending. */
	async peek(): Promise<{ entry: SpoolEntry; end: number } | null> {
		if (!this.hasPending) return null;
		const fh = await fsp.open(this.logPath, 'r');
		try {
			const chunks: Buffer[] = [];
			let pos = this.committed;
			const buf = Buffer.alloc(1 << 20);
			for (;;) {
				const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
				if (bytesRead === 0) return null;
				const nl = buf.subarray(0, bytesRead).indexOf(10);
				if (nl >= 0) {
					chunks.push(Buffer.from(buf.subarray(0, nl)));
					const end = pos + nl + 1;
					return { entry: JSON.parse(Buffer.concat(chunks).toString('utf8')) as SpoolEntry, end };
				}
				chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
				pos += bytesRead;
			}
		} finally {
			await fh.close();
		}
	}

	/** Marks everything before `end` as stored. When the log is drained it is emptied. */
	async commit(end: number): Promise<void> {
		this.committed = end;
		this.pendingEntries = Math.max(0, this.pendingEntries - 1);
		if (this.committed >= this.size) {
			await this.truncateTo(0);
			this.committed = 0;
			this.pendingEntries = 0;
		}
		// The offset only saves work after a restart (replayed rows are deduplicated by id): a full disk
		// must not stop the replay that is about to free it.
		await writeAtomically(this.offsetPath, String(this.committed)).catch(() => undefined);
	}

	async close(): Promise<void> {
		await this.handle?.close();
		this.handle = null;
	}

	private async truncateTo(size: number): Promise<void> {
		await this.handle?.close();
		this.handle = null;
		await fsp.truncate(this.logPath, size).catch(() => undefined);
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
		this.committed = Number.isInteger(stored) && stored >= 0 && stored <= intact ? stored : 0;
		let entries = 0;
		for (let i = this.committed; i < intact; i++) if (data[i] === 10) entries++;
		this.pendingEntries = entries;
	}
}

async function writeAtomically(file: string, content: string): Promise<void> {
	const tmp = `${file}.tmp`;
	const fh = await fsp.open(tmp, 'w');
	try {
		await fh.writeFile(content);
		await fh.sync();
	} finally {
		await fh.close();
	}
	await fsp.rename(tmp, file);
}
