/**
 * Which queued submissions form the next group commit (pipeline.ts). Pure, over the queue of jobs.
 */
/** Largest group commit; a longer queue is committed in several. */
const MAX_COMMIT_ROWS = 50_000;
/**
 * A submission this small (a lone incident, a status change) is committed ahead of large batches queued
 * before it, in a commit of small ones only: its answer then waits for a few kilobytes of fsync, not for the
 * serialisation and write of bulk imports. The commit after such a one is plain FIFO, so a batch waits at
 * most one extra commit however many small ones keep coming.
 */
export const SMALL_SUBMISSION_ROWS = 100;

/** Jobs from the head, in order, up to MAX_COMMIT_ROWS rows (at least one job). */
export function take<T extends { rows: unknown[] }>(queue: T[]): T[] {
	let rows = 0;
	let n = 0;
	while (n < queue.length && (n === 0 || rows + queue[n]!.rows.length <= MAX_COMMIT_ROWS)) {
		rows += queue[n]!.rows.length;
		n++;
	}
	return queue.splice(0, n);
}

const isSmall = (job: { rows: unknown[] }) => job.rows.length <= SMALL_SUBMISSION_ROWS;

/** True when a small submission waits behind a large one (else FIFO already serves it first). */
export function hasSmallBehindLarge(queue: readonly { rows: unknown[] }[]): boolean {
	const firstLarge = queue.findIndex((j) => !isSmall(j));
	return firstLarge >= 0 && queue.slice(firstLarge + 1).some(isSmall);
}

/** The small submissions of the queue, in arrival order; the large ones stay queued. */
export function takeSmall<T extends { rows: unknown[] }>(queue: T[]): T[] {
	const small: T[] = [];
	const rest: T[] = [];
	for (const job of queue) (isSmall(job) ? small : rest).push(job);
	queue.splice(0, queue.length, ...rest);
	return small;
}
