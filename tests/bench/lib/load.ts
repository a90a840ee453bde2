/**
 * Load generation: valid incidents as JSON text (built from templates, so the generator stays cheap next
 * to the server), keep-alive HTTP posts to 127.0.0.1, and a paced sender bounded in count and time.
 */
import http from 'node:http';
import { DISTRICT_POINTS } from '../../helpers/incidents.ts';

const CATEGORIES = ['heating', 'water', 'housing', 'roads', 'snow', 'yard', 'lighting', 'waste', 'transport', 'other'];
const SOURCES = ['vk', 'ok', 'telegram', 'feedback_platform', 'phone'];
const POINTS = Object.values(DISTRICT_POINTS);
const TEXTS = [
	'Третий день нет отопления в подъезде, батареи холодные',
	'Во дворе не вывезен мусор, контейнеры переполнены',
	'Яма на проезжей части, машины объезжают по встречной',
	'Не горит уличное освещение на всей улице',
	'Нет горячей воды с утра, управляющая компания не отвечает'
];

/** Unique per run, so repeated runs against one store never collide on ids. */
const RUN = `b${Date.now().toString(36)}${process.pid.toString(36)}`;
let seq = 0;

/** One incident as a JSON line: located (district found by point-in-polygon), created in the last hour. */
export function incidentJson(now = Date.now()): { id: string; json: string } {
	seq += 1;
	const id = `${RUN}-${seq}`;
	const p = POINTS[seq % POINTS.length]!;
	// Small jitter keeps the point inside its district and spreads it over a few H3 cells.
	const lat = (p.lat + ((seq * 7919) % 100) / 20_000).toFixed(5);
	const lon = (p.lon + ((seq * 104_729) % 100) / 20_000).toFixed(5);
	const created = new Date(now - ((seq * 3571) % 3_600_000)).toISOString();
	const json =
		`{"id":"${id}","source":"${SOURCES[seq % SOURCES.length]}","created_at":"${created}",` +
		`"category":"${CATEGORIES[seq % CATEGORIES.length]}","lat":${lat},"lon":${lon},` +
		`"address":"ул. Ленина, ${seq % 200}","text":"${TEXTS[seq % TEXTS.length]}"}`;
	return { id, json };
}

/** An NDJSON body of `n` incidents. */
export function ndjsonBatch(n: number): { ids: string[]; body: string } {
	const now = Date.now();
	const ids: string[] = [];
	const lines: string[] = [];
	for (let i = 0; i < n; i++) {
		const x = incidentJson(now);
		ids.push(x.id);
		lines.push(x.json);
	}
	return { ids, body: lines.join('\n') };
}

export interface PostResult {
	status: number;
	body: string;
	/** `process.hrtime.bigint()` when the request was sent and when the whole answer had arrived. */
	sentAt: bigint;
	answeredAt: bigint;
}

export class Poster {
	private readonly agent: http.Agent;
	private readonly target: URL;

	constructor(url: string, private readonly token: string, maxSockets = 8) {
		this.agent = new http.Agent({ keepAlive: true, maxSockets });
		this.target = new URL('/api/v1/incidents', url);
	}

	post(body: string, contentType: 'application/json' | 'application/x-ndjson'): Promise<PostResult> {
		return new Promise((resolve, reject) => {
			const sentAt = process.hrtime.bigint();
			const req = http.request(
				this.target,
				{
					method: 'POST',
					agent: this.agent,
					headers: { 'content-type': contentType, authorization: `Bearer ${this.token}`, 'content-length': Buffer.byteLength(body) }
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sentAt, answeredAt: process.hrtime.bigint() }));
					res.on('error', reject);
				}
			);
			req.setTimeout(60_000, () => req.destroy(new Error('request timed out')));
			req.on('error', reject);
			req.end(body);
		});
	}

	close(): void {
		this.agent.destroy();
	}
}

export interface PacedAck {
	id: string;
	sentAt: bigint;
	answeredAt: bigint;
}

/**
 * Posts incidents at `ratePerSec` for `seconds`, `perRequest` at a time (1: a JSON object per request;
 * more: an NDJSON batch), each request without waiting for the previous one, and returns one record per
 * acknowledged incident. Catches up after a late timer, never runs past the time.
 */
export async function pacedIncidents(
	poster: Poster,
	opts: { ratePerSec: number; seconds: number; perRequest?: number }
): Promise<{ acks: PacedAck[]; failed: number }> {
	const { ratePerSec, seconds } = opts;
	const perRequest = Math.max(1, opts.perRequest ?? 1);
	const acks: PacedAck[] = [];
	const inflight = new Set<Promise<void>>();
	let failed = 0;
	let sent = 0;
	const total = Math.round(ratePerSec * seconds);
	const start = Date.now();
	const fire = (n: number) => {
		const batch = n === 1 ? (({ id, json }) => ({ ids: [id], body: json }))(incidentJson()) : ndjsonBatch(n);
		const p: Promise<void> = poster.post(batch.body, n === 1 ? 'application/json' : 'application/x-ndjson').then(
			(r) => {
				if (r.status === 202) for (const id of batch.ids) acks.push({ id, sentAt: r.sentAt, answeredAt: r.answeredAt });
				else failed += n;
			},
			() => void (failed += n)
		);
		inflight.add(p);
		void p.finally(() => inflight.delete(p));
	};
	await new Promise<void>((resolve) => {
		const timer = setInterval(() => {
			const elapsed = (Date.now() - start) / 1000;
			const due = Math.min(total, Math.floor(elapsed * ratePerSec));
			while (due - sent >= perRequest || (due === total && sent < total)) {
				const n = Math.min(perRequest, total - sent);
				sent += n;
				fire(n);
			}
			if (sent >= total || elapsed > seconds + 1) {
				clearInterval(timer);
				resolve();
			}
		}, 2);
	});
	await Promise.all(inflight);
	return { acks, failed };
}

/** Single incidents, one per request (see `pacedIncidents`). */
export function pacedSingles(poster: Poster, ratePerSec: number, seconds: number): Promise<{ acks: PacedAck[]; failed: number }> {
	return pacedIncidents(poster, { ratePerSec, seconds });
}
