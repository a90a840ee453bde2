/** A token bucket per key (an access token or an address), with a bounded number of keys. */
export class RateLimiter {
	private buckets = new Map<string, { tokens: number; at: number }>();

	constructor(
		private readonly perMinute: number,
		private readonly burst = Math.max(1, Math.ceil(perMinute / 6)),
		private readonly maxKeys = 10_000
	) {}

	/** True when the request may go on; false means 429. */
	take(key: string, now = Date.now()): boolean {
		let b = this.buckets.get(key);
		if (!b) {
			if (this.buckets.size >= this.maxKeys) {
				// Forget the oldest key: Map keeps insertion order.
				this.buckets.delete(this.buckets.keys().next().value!);
			}
			b = { tokens: this.burst, at: now };
			this.buckets.set(key, b);
		}
		b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) * this.perMinute) / 60_000);
		b.at = now;
		if (b.tokens < 1) return false;
		b.tokens -= 1;
		return true;
	}

	/** Seconds until one more request would be allowed (for Retry-After). */
	retryAfter(key: string): number {
		const b = this.buckets.get(key);
		if (!b) return 0;
		return Math.max(1, Math.ceil(((1 - b.tokens) * 60) / this.perMinute));
	}
}
