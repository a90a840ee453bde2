/** Live incidents pulsing on the map: a bounded queue of where and when, independent of Leaflet. */

export interface Pulse {
	id: string;
	lat: number;
	lon: number;
	severity: number;
	at: number;
}

export class PulseQueue {
	private items: Pulse[] = [];

	constructor(
		readonly max: number,
		private readonly lifetimeMs: number
	) {}

	get size(): number {
		return this.items.length;
	}

	/** Adds a pulse; returns the pulses pushed out by the bound (their shapes must be removed). */
	add(p: Pulse): Pulse[] {
		this.items.push(p);
		return this.items.length > this.max ? this.items.splice(0, this.items.length - this.max) : [];
	}

	/** Removes and returns the pulses older than their lifetime. */
	expire(now: number): Pulse[] {
		let n = 0;
		while (n < this.items.length && now - this.items[n]!.at >= this.lifetimeMs) n++;
		return n > 0 ? this.items.splice(0, n) : [];
	}

	all(): readonly Pulse[] {
		return this.items;
	}
}
