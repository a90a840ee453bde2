/**
 * The ingest log's file operations, run in a thread of their own (log-file-thread.ts) with synchronous
 * calls. Node's asynchronous file calls share libuv's small thread pool with the embedded engine, whose
 * queries hold a pool thread for as long as they run: an fsync queued behind four analytic queries waited
 * for them, and every acknowledgement with it. On its own thread an append waits only for the disk, and the
 * main event loop is never blocked by a slow fsync.
 */
import type { Worker } from 'node:worker_threads';
import { startThread } from '../threads/start.ts';

export type LogFileRequest = { id: number } & (
	| { op: 'append'; data: Uint8Array }
	| { op: 'truncate'; size: number }
	| { op: 'read'; position: number; length: number }
	| { op: 'write-atomically'; file: string; content: string }
	| { op: 'cut-head'; from: number; to: number; offsetFile: string }
	| { op: 'close' }
);

export interface LogFileReply {
	id: number;
	error?: string;
	data?: Uint8Array;
	size?: number;
}

type Pending = { resolve: (r: LogFileReply) => void; reject: (e: Error) => void };
type Op = LogFileRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class LogFile {
	private readonly thread: Worker;
	private readonly pending = new Map<number, Pending>();
	private nextId = 1;
	private failed: Error | null = null;

	constructor(logPath: string) {
		this.thread = startThread(new URL('./log-file-thread.ts', import.meta.url), { logPath });
		// The thread keeps the process alive only while it has work (see `call`).
		this.thread.unref();
		this.thread.on('message', (reply: LogFileReply) => {
			const p = this.pending.get(reply.id);
			if (!p) return;
			this.pending.delete(reply.id);
			if (this.pending.size === 0) this.thread.unref();
			if (reply.error !== undefined) p.reject(new Error(reply.error));
			else p.resolve(reply);
		});
		const fail = (e: Error) => {
			this.failed = e;
			for (const p of this.pending.values()) p.reject(e);
			this.pending.clear();
		};
		this.thread.on('error', fail);
		this.thread.on('exit', (code) => fail(new Error(`the ingest log thread exited (${code})`)));
	}

	/** Writes `data` at the end of the log and fdatasyncs it; rejects on a short or failed write. */
	async append(data: Uint8Array): Promise<void> {
		await this.call({ op: 'append', data });
	}

	async truncate(size: number): Promise<void> {
		await this.call({ op: 'truncate', size });
	}

	async read(position: number, length: number): Promise<Buffer> {
		const r = await this.call({ op: 'read', position, length });
		const data = r.data ?? new Uint8Array(0);
		return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
	}

	/** Replaces `file` with `content`: write a temporary file, fsync, rename. */
	async writeAtomically(file: string, content: string): Promise<void> {
		await this.call({ op: 'write-atomically', file, content });
	}

	/** Keeps only bytes [from, to) of the log, resetting `offsetFile` to 0 first; returns the new size. */
	async cutHead(from: number, to: number, offsetFile: string): Promise<number> {
		return (await this.call({ op: 'cut-head', from, to, offsetFile })).size ?? 0;
	}

	async close(): Promise<void> {
		if (!this.failed) await this.call({ op: 'close' }).catch(() => undefined);
		await this.thread.terminate();
	}

	private call(op: Op): Promise<LogFileReply> {
		if (this.failed) return Promise.reject(this.failed);
		const id = this.nextId++;
		return new Promise((resolve, reject) => {
			this.pending.set(id, { resolve, reject });
			this.thread.ref();
			this.thread.postMessage({ id, ...op });
		});
	}
}
