/**
 * A background pass that runs one at a time on its own line. A request while a pass runs asks for one more
 * pass after it, and every request of that moment shares it: so a request is always answered by a pass that
 * started after it, and a burst of requests costs at most two passes. A pass starts no sooner than
 * `spacingMs()` after the last one ended, so requests under sustained ingest leave the machine a share of
 * its time.
 *
 * Hotspot detection runs this way, apart from the Snapshot's queue: a pass over a large burst of incidents
 * (a hundred thousand in the live window) took over a minute of CPU, and a Snapshot queued behind it left
 * the wall waiting that long for figures that do not depend on it.
 */
import { InterruptibleSleep } from '../interruptible-sleep.ts';

export class CoalescedPass {
	private running: Promise<void> | null = null;
	private next: Promise<void> | null = null;
	private closed = false;
	private lastEndedAt = 0;
	/** The spacing before a queued pass; closing ends it early. */
	private readonly spacing = new InterruptibleSleep();

	constructor(
		private readonly pass: () => Promise<void>,
		private readonly onError: (err: unknown) => void,
		private readonly spacingMs: () => number = () => 0
	) {}

	/** Resolves once a pass that started after this call has ended (failures go to `onError`). */
	request(): Promise<void> {
		if (this.closed) return Promise.resolve();
		if (this.next) return this.next;
		if (!this.running && this.spacingLeft() <= 0) return this.start();
		const afterRunning = () =>
			this.space().then(() => {
				this.next = null;
				return this.closed ? undefined : this.start();
			});
		this.next = (this.running ?? Promise.resolve()).then(afterRunning, afterRunning);
		return this.next;
	}

	/** The pass running now if there is one, else a new one: for a caller that needs any finished pass. */
	current(): Promise<void> {
		return this.running ?? this.request();
	}

	/** Takes requests again after `close` (analytics started again). */
	open(): void {
		this.closed = false;
	}

	/** No new pass starts; resolves once the running one has ended (a queued one is dropped). */
	async close(): Promise<void> {
		this.closed = true;
		this.spacing.interrupt();
		while (this.running || this.next) await (this.next ?? this.running);
	}

	private spacingLeft(): number {
		return this.spacingMs() - (Date.now() - this.lastEndedAt);
	}

	private space(): Promise<void> {
		const ms = this.closed ? 0 : this.spacingLeft();
		return ms > 0 ? this.spacing.sleep(ms) : Promise.resolve();
	}

	private start(): Promise<void> {
		const run = this.pass()
			.catch((err: unknown) => {
				try {
					this.onError(err);
				} catch {
					// a failing error report must not stop the line
				}
			})
			.finally(() => {
				this.lastEndedAt = Date.now();
				if (this.running === run) this.running = null;
			});
		this.running = run;
		return run;
	}
}
