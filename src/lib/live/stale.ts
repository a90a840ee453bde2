/** When the wall must say its numbers are old, and how long to wait between reconnect attempts. */

/** No data and no heartbeat for this long: the stale banner shows. */
export const STALE_AFTER_MS = 15_000;

export function isStale(now: number, lastAliveAt: number, staleAfterMs = STALE_AFTER_MS): boolean {
	return now - lastAliveAt > staleAfterMs;
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … up to `maxMs`; `random` in [0, 1). */
export function backoffMs(attempt: number, random: number, baseMs = 1000, maxMs = 30_000): number {
	const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 20)));
	return Math.round(exp * (0.5 + random / 2));
}
