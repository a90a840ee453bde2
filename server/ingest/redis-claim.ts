/**
 * With several processes (`REDIS_URL`), one shared authority on duplicates: a key is accepted by the
 * process whose `SET NX` on it succeeds first. The claim expires after a while; by then the key is in the
 * store (warmed into every index at start) and in the indexes of the running processes, which tell each
 * other the keys they stored (`mcu:keys`). While Redis is unreachable each process decides alone.
 */
import type { SetNxClient } from '../realtime/redis-adapter.ts';
import type { IngestPipeline, SharedClaim } from './pipeline.ts';
import { eventKey, type EventRow, type IncidentRow } from './normalize.ts';

/** Long enough for the slowest store write after an outage; the key is in every index long before. */
const CLAIM_TTL_S = 2 * 24 * 3600;

export function redisClaim(client: SetNxClient, log: (msg: string) => void = () => undefined): SharedClaim {
	let failing = false;
	return async (kind, keys) => {
		const taken = new Set<string>();
		if (keys.length === 0) return taken;
		const prefix = kind === 'incidents' ? 'mcu:seen:i:' : 'mcu:seen:e:';
		try {
			// Commands issued together are pipelined by the client: one round trip for the batch.
			const answers = await Promise.all(keys.map((k) => client.set(prefix + k, '1', { NX: true, EX: CLAIM_TTL_S })));
			answers.forEach((a, i) => a === null && taken.add(keys[i]!));
			failing = false;
		} catch (e) {
			if (!failing) log(`redis: duplicate claims unavailable, deciding locally: ${(e as Error).message}`);
			failing = true;
		}
		return taken;
	};
}

export interface StoredKeys {
	incidents: string[];
	events: string[];
}

/** What one process tells the others after a store write. */
export function storedKeys(kind: 'incidents' | 'events', rows: readonly IncidentRow[] | readonly EventRow[]): StoredKeys {
	return kind === 'incidents'
		? { incidents: (rows as IncidentRow[]).map((r) => r.id), events: [] }
		: { incidents: [], events: (rows as EventRow[]).map(eventKey) };
}

/** Keys another process stored join this one's indexes. */
export function learnKeys(pipeline: Pick<IngestPipeline, 'incidents' | 'events'>, keys: StoredKeys): void {
	for (const id of keys.incidents.slice(0, 100_000)) if (typeof id === 'string') pipeline.incidents.addStored(id);
	for (const k of keys.events.slice(0, 100_000)) if (typeof k === 'string') pipeline.events.addStored(k);
}
