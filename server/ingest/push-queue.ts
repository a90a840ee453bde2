/**
 * Live pushes of acknowledged rows, sent right after their commit's answers. A group commit may hold dozens
 * of incidents, and each goes to every wall and tablet: sent in the commit's own turn of the event loop,
 * the fan-out (a socket write per client per incident) ran before the commit's `202`s were written, which
 * waited for all of it. Queued for the next turn (`setImmediate` runs after the answers' continuations),
 * the answers go first and the pushes follow at once, in order (an incident before its status events).
 * A bulk commit's thousand pushes leave in slices of PUSH_SLICE per turn, so that a lone POST read in
 * between is answered without waiting for all of them.
 * Bounded: far behind, the oldest slice is sent at once before a new push is queued, which slows the commit
 * loop instead of growing the queue.
 */
const MAX_QUEUED = 20_000;
/** Pushes sent in one turn of the event loop. */
const PUSH_SLICE = 200;

export class PushQueue {
	private queue: (() => void)[] = [];
	private scheduled = false;

	constructor(
		private readonly maxQueued = MAX_QUEUED,
		private readonly slice = PUSH_SLICE
	) {}

	get length(): number {
		return this.queue.length;
	}

	push(send: () => void): void {
		// Far behind: the oldest slice goes now, in order, before this one is queued.
		if (this.queue.length >= this.maxQueued) for (const queued of this.queue.splice(0, this.slice)) sendSafely(queued);
		this.queue.push(send);
		this.schedule();
	}

	private schedule(): void {
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(() => this.sendSlice());
	}

	/** The next turn's share, in order; what is left goes in the turn after. */
	private sendSlice(): void {
		this.scheduled = false;
		const batch = this.queue.splice(0, this.slice);
		for (const send of batch) sendSafely(send);
		if (this.queue.length > 0) this.schedule();
	}

	/** Sends everything queued now, in order (on close, or when the queue is full). */
	flush(): void {
		const queued = this.queue;
		this.queue = [];
		for (const send of queued) sendSafely(send);
	}
}

/** A failing push (a client gone mid-write) must not stop the ones after it; that client gets a snapshot on reconnect. */
function sendSafely(send: () => void): void {
	try {
		send();
	} catch {
		// nothing more to do here
	}
}
