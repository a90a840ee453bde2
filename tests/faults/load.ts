/**
 * Sustained ingest for fault tests: several writers post incident batches, then a status event for each
 * acknowledged incident, over keep-alive connections, until told to stop. Every answer is recorded, so a
 * test can compare what was acknowledged with what is stored and fail on any answer it did not expect.
 */
import { incident } from '../helpers/incidents.ts';
import type { IncidentInput } from '../../src/lib/contract/incident.ts';

export interface LoadResult {
	/** Incident ids answered 202. */
	incidents: Set<string>;
	/** `incident_id|type` of status events answered 202. */
	events: Set<string>;
	/** HTTP statuses other than 202, with the route. */
	refused: { route: string; status: number; body: string }[];
	/** Batches that got no answer or a refusal: a real source sends them again. */
	unsent: IncidentInput[][];
}

export interface LoadOptions {
	url: string;
	token: string;
	writers?: number;
	batch?: number;
	/** Pause between a writer's requests, in ms. */
	pauseMs?: number;
}

export function sustainedIngest(opts: LoadOptions): { stop(): Promise<LoadResult>; result: LoadResult } {
	const result: LoadResult = { incidents: new Set(), events: new Set(), refused: [], unsent: [] };
	let stopping = false;
	const post = async (route: string, body: unknown): Promise<{ status: number; text: string }> => {
		const res = await fetch(`${opts.url}${route}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` },
			body: JSON.stringify(body)
		});
		return { status: res.status, text: await res.text() };
	};
	const writer = async (): Promise<void> => {
		while (!stopping) {
			const batch = Array.from({ length: opts.batch ?? 20 }, () => incident({ district: pick() }));
			try {
				const r = await post('/api/v1/incidents', batch);
				if (r.status !== 202) {
					result.refused.push({ route: 'incidents', status: r.status, body: r.text.slice(0, 300) });
					result.unsent.push(batch);
					continue;
				}
				for (const x of batch) result.incidents.add(x.id);
				const events = batch.map((x) => ({ incident_id: x.id, type: 'assigned', at: new Date().toISOString(), executor: 'Комитет ЖКХ' }));
				const e = await post('/api/v1/events', events);
				if (e.status === 202) for (const x of batch) result.events.add(`${x.id}|assigned`);
				else result.refused.push({ route: 'events', status: e.status, body: e.text.slice(0, 300) });
			} catch {
				result.unsent.push(batch);
			}
			if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
		}
	};
	const running = Promise.all(Array.from({ length: opts.writers ?? 4 }, writer));
	return {
		result,
		stop: async () => {
			stopping = true;
			await running;
			return result;
		}
	};
}

const DISTRICTS = ['industrialny', 'leninsky', 'zheleznodorozhny', 'oktyabrsky', 'central'];
let turn = 0;
function pick(): string {
	turn += 1;
	return DISTRICTS[turn % DISTRICTS.length]!;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
