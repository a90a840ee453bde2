/**
 * Before the port opens, the city snapshot is computed once: the engine reads its tables and the analytics
 * checkpoint is built, so the first wall opened after a start gets its data from a warm engine. A failure
 * (the store down) only costs the warm-up; the wall then computes on its own.
 */
import type { AppServices } from './services.ts';

/** The warm-up never delays the start by more than this. */
const WARM_MAX_MS = 60_000;

export async function warmSnapshot(services: Pick<AppServices, 'snapshot'>, log: (msg: string) => void): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), WARM_MAX_MS)));
	try {
		const r = await Promise.race([services.snapshot({ district: null }), timeout]);
		if (r === 'timeout') log(`snapshot warm-up still running after ${WARM_MAX_MS / 1000} s: listening anyway`);
	} catch (e) {
		log(`snapshot warm-up failed (${(e as Error).message}): listening anyway`);
	} finally {
		clearTimeout(timer);
	}
}
