/**
 * A sleep that can be ended early. Background loops wait this way between their steps (the store writer
 * between inserts and between retries, hotspot passes between passes), so that stopping, or a reader
 * waiting on them, does not sit out the timer. One sleeper at a time.
 */
export class InterruptibleSleep {
	private end: (() => void) | null = null;

	/** Resolves after `ms`, or as soon as `interrupt()` is called. */
	sleep(ms: number): Promise<void> {
		this.interrupt();
		return new Promise<void>((resolve) => {
			const timer = setTimeout(() => this.interrupt(), ms);
			this.end = () => {
				clearTimeout(timer);
				this.end = null;
				resolve();
			};
		});
	}

	/** Ends the sleep in progress, if any. */
	interrupt(): void {
		this.end?.();
	}
}
