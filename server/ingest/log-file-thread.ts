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

function writeAtomically(file: string, content: Uint8Array | string): void {
	const tmp = `${file}.tmp`;
	const fd = fs.openSync(tmp, 'w');
	try {
		fs.writeFileSync(fd, content);
		fs.fsyncSync(fd);
	} finally {
		fs.closeSync(fd);
	}
	fs.renameSync(tmp, file);
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
		case 'read': {
			const fd = fs.openSync(logPath, 'r');
			try {
				const buf = Buffer.allocUnsafe(req.length);
				const n = fs.readSync(fd, buf, 0, req.length, req.position);
				return { data: buf.subarray(0, n) };
			} finally {
				fs.closeSync(fd);
			}
		}
		case 'write-atomically':
			writeAtomically(req.file, req.content);
			return {};
		case 'cut-head': {
			// The pending tail becomes the whole log. The offset is reset first: a crash between the two
			// replays the old log from its start, which the start-up replay checks against the store.
			const whole = fs.readFileSync(logPath);
			const tail = whole.subarray(req.from, req.to);
			const tmp = `${logPath}.tmp`;
			const fd = fs.openSync(tmp, 'w');
			try {
				fs.writeFileSync(fd, tail);
				fs.fsyncSync(fd);
			} finally {
				fs.closeSync(fd);
			}
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
