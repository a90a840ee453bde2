/**
 * Bulk batches go through the costly steps of ingest (validation, normalisation: both in slices that give
 * the event loop back) one at a time, in arrival order; small submissions never wait here. With four bulk
 * posters interleaving their slices, a lone incident waited for a slice of each of them before every step
 * of its own: during a sustained run its answer took 84 ms at the median and up to a second. One bulk batch
 * at a time uses the same CPU (the work is CPU-bound either way) and leaves a lone incident behind at most
 * one slice per step. The wait is bounded by the requests in flight, whose bodies are already in memory.
 */
import { SMALL_SUBMISSION_ROWS } from './commit-order.ts';

export class BulkGate {
	private tail: Promise<unknown> = Promise.resolve();

	/** Runs `job` at once for a small submission; after every bulk job before it otherwise. */
	through<T>(items: number, job: () => Promise<T>): Promise<T> {
		if (items <= SMALL_SUBMISSION_ROWS) return job();
		const run = this.tail.then(job, job);
		this.tail = run.catch(() => undefined);
		return run;
	}
}
