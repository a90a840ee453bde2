/**
 * Sockets of one scope asking for a snapshot at about the same time share one computation. Without this a
 * reconnect storm (every wall and district screen coming back after a restart) computes the same snapshot
 * once per socket, and the last clients wait tens of seconds for theirs.
 *
 * Per scope at most one computation runs and one waits. A request joins the waiting one, which starts only
 * after the running one ends: so every computation starts after all of its requesters asked, that is after
 * they joined their scope's room, and nothing published in between can fall between snapshot and stream.
 */
import type { Scope } from '../../src/lib/contract/roles.ts';
import { roomOf } from './publisher.ts';

export function coalesceByScope<T>(compute: (scope: Scope) => Promise<T>): (scope: Scope) => Promise<T> {
	const running = new Map<string, Promise<unknown>>();
	const waiting = new Map<string, Promise<T>>();
	return (scope) => {
		const key = roomOf(scope);
		const queued = waiting.get(key);
		if (queued) return queued;
		const before = running.get(key) ?? Promise.resolve();
		const next = before
			.catch(() => undefined)
			// One more turn of the event loop lets the requests of the same moment join.
			.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
			.then(() => {
				waiting.delete(key);
				const run = compute(scope);
				running.set(key, run);
				void run.then(
					() => running.get(key) === run && running.delete(key),
					() => running.get(key) === run && running.delete(key)
				);
				return run;
			});
		waiting.set(key, next);
		return next;
	};
}
