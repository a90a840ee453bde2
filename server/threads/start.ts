/**
 * Worker threads of the server, written in TypeScript like the rest. Work that must not wait for the main
 * event loop, or must not hold it (the ingest log's fsyncs, the hotspot calibration), runs in one.
 */
import { Worker, workerData, type ResourceLimits } from 'node:worker_threads';

const ENTRY = new URL('./entry.mjs', import.meta.url);

/** Starts `module` (a file URL of a .ts module) in a worker thread; it reads `data` with `threadData()`. */
export function startThread(module: URL, data: unknown, opts: { resourceLimits?: ResourceLimits } = {}): Worker {
	return new Worker(ENTRY, { workerData: { module: module.href, data }, resourceLimits: opts.resourceLimits });
}

/** Inside a thread started by `startThread`: the data it was given. */
export function threadData<T>(): T {
	return (workerData as { data: T }).data;
}
