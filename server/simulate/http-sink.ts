/**
 * Posts simulated data to a running instance's public API as NDJSON. 429 and 503 (and a refused
 * connection) are waited out with exponential backoff, honouring Retry-After; other errors are thrown.
 */
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { IngestResultLike, IngestSink } from './sink.ts';

export interface HttpSinkOptions {
	url: string;
	token: string;
	maxAttempts?: number;
	baseDelayMs?: number;
	maxDelayMs?: number;
	log?: (msg: string) => void;
	fetch?: typeof fetch;
}

export class HttpError extends Error {
	constructor(
		readonly status: number,
		body: string
	) {
		super(`HTTP ${status}: ${body.slice(0, 500)}`);
	}
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class HttpSink implements IngestSink {
	retries = 0;

	constructor(private readonly o: HttpSinkOptions) {}

	submitIncidents(inputs: IncidentInput[]): Promise<IngestResultLike> {
		return this.post('/api/v1/incidents', inputs);
	}

	submitEvents(inputs: StatusEventInput[]): Promise<IngestResultLike> {
		return this.post('/api/v1/events', inputs);
	}

	async post(route: string, items: unknown[]): Promise<IngestResultLike> {
		const total = { accepted: 0, duplicates: 0 };
		// The API takes at most 10 000 items per request.
		for (let i = 0; i < items.length; i += 5000) {
			const r = await this.postOnce(route, items.slice(i, i + 5000));
			total.accepted += r.accepted;
			total.duplicates += r.duplicates;
		}
		return total;
	}

	private async postOnce(route: string, items: unknown[]): Promise<IngestResultLike> {
		const body = items.map((x) => JSON.stringify(x)).join('\n') + '\n';
		const doFetch = this.o.fetch ?? fetch;
		const max = this.o.maxAttempts ?? 12;
		let delay = this.o.baseDelayMs ?? 500;
		for (let attempt = 1; ; attempt++) {
			let status = 0;
			let text = '';
			let retryAfter: string | null = null;
			try {
				const res = await doFetch(new URL(route, this.o.url), {
					method: 'POST',
					headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${this.o.token}` },
					body
				});
				status = res.status;
				text = await res.text();
				retryAfter = res.headers.get('retry-after');
				if (res.ok) return JSON.parse(text) as IngestResultLike;
			} catch (err) {
				text = (err as Error).message; // connection refused or reset: the server may be restarting
			}
			const retriable = status === 0 || status === 429 || status === 503;
			if (!retriable || attempt >= max) throw new HttpError(status, text);
			const wait = retryAfter && Number.isFinite(Number(retryAfter)) ? Number(retryAfter) * 1000 : delay;
			this.retries++;
			this.o.log?.(`${route}: ${status || 'no connection'}, retrying in ${Math.round(wait)} ms`);
			await sleep(Math.min(wait, this.o.maxDelayMs ?? 30_000));
			delay = Math.min(delay * 2, this.o.maxDelayMs ?? 30_000);
		}
	}
}
