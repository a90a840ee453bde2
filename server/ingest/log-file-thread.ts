/**
 * The thread that does the ingest log's file work (log-file.ts) with plain synchronous calls. Its requests
 * come one at a time, in order, from the spool's lock; each is answered with its result or its error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { threadData } from '../threads/start.ts';
import type { LogFileReply, LogFileRequest } from './log-file.ts';

const logPath = threadData<{ logPath: string }>().logPath;
/** The log opened for appending, kept between appends. */
let appendFd: number | null = null;

function closeAppend(): void {
	if (appendFd !== null) fs.closeSync(appendFd);
	appendFd = null;
}

function fsyncPath(p: string): void {
	const fd = fs.openSync(p, 'r');
	try {
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

/** Writes `content` as the whole of `file` and fsyncs it. */
function writeSynced(file: string, content: Uint8Array | string): void {
	const fd = fs.openSync(file, 'w');
	try {
		fs.writeFileSync(fd, content);
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
}

function writeAtomically(file: string, content: Uint8Array | string): void {
	writeSynced(`${file}.tmp`, content);
	fs.renameSync(`${file}.tmp`, file);
}

/** Bytes [from, to) of the log. */
function readRange(from: number, to: number): Buffer {
	const fd = fs.openSync(logPath, 'r');
	try {
		const buf = Buffer.allocUnsafe(Math.max(0, to - from));
		const n = fs.readSync(fd, buf, 0, buf.length, from);
		return buf.subarray(0, n);
	} finally {
		fs.closeSync(fd);
	}
}

function handle(req: LogFileRequest): Omit<LogFileReply, 'id' | 'error'> {
	switch (req.op) {
		case 'append': {
			appendFd ??= fs.openSync(logPath, 'a');
			// A nearly full disk takes part of a write and reports no error: that is a failed write too.
			const written = fs.writeSync(appendFd, req.data, 0, req.data.length);
			if (written !== req.data.length) throw new Error(`short write (${written} of ${req.data.length} bytes): no space left`);
			fs.fdatasyncSync(appendFd);
			return {};
		}
		case 'truncate':
			closeAppend();
			fs.truncateSync(logPath, req.size);
			return {};
		case 'read':
			return { data: readRange(req.position, req.position + req.length) };
		case 'write-atomically':
			writeAtomically(req.file, req.content);
			return {};
		case 'cut-head': {
			// The pending tail becomes the whole log. The offset is reset first: a crash between the two
			// replays the old log from its start, which the start-up replay checks against the store.
			const tail = readRange(req.from, req.to);
			const tmp = `${logPath}.tmp`;
			writeSynced(tmp, tail);
			writeAtomically(req.offsetFile, '0');
			closeAppend();
			fs.renameSync(tmp, logPath);
			try {
				fsyncPath(path.dirname(logPath));
			} catch {
				// a directory that cannot be fsynced (some file systems) is no reason to fail the cut
			}
			return { size: tail.length };
		}
		case 'close':
			closeAppend();
			return {};
	}
}

parentPort!.on('message', (req: LogFileRequest) => {
	try {
		parentPort!.postMessage({ id: req.id, ...handle(req) } satisfies LogFileReply);
	} catch (e) {
		parentPort!.postMessage({ id: req.id, error: (e as Error).message } satisfies LogFileReply);
	}
});
