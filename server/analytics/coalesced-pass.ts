/**
 * A background pass that runs one at a time on its own line. A request while a pass runs asks for one more
 * pass after it, and every request of that moment shares it: so a request is always answered by a pass that
 * started after it, and a burst of requests costs at most two passes.
 *
 * Hotspot detection runs this way, apart from the Snapshot's queue: a pass over a large burst of incidents
 * (a hundred thousand in the live window) took over a minute of CPU, and a Snapshot queued behind it left
 * the wall waiting that long for figures that do not depend on it.
 */
export class CoalescedPass {
	private running: Promise<void> | null = null;
	private next: Promise<void> | null = null;

	constructor(
		private readonly pass: () => Promise<void>,
		private readonly onError: (err: unknown) => void
	) {}

	/** Resolves once a pass that started after this call has ended (failures go to `onError`). */
	request(): Promise<void> {
		if (this.next) return this.next;
		if (!this.running) return this.start();
		const after = this.running;
		this.next = after.then(() => {
			this.next = null;
			return this.start();
		});
		return this.next;
	}

	/** Resolves once no pass runs or waits. */
	async idle(): Promise<void> {
		while (this.running || this.next) await (this.next ?? this.running);
	}

	private start(): Promise<void> {
		const run = this.pass()
			.catch((err: unknown) => this.onError(err))
			.finally(() => {
				if (this.running === run) this.running = null;
			});
		this.running = run;
		return run;
	}
}
