import { execFile } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSink } from '../../server/simulate/http-sink.ts';
import { PROJECT_ROOT, startApp, type StartedApp } from '../helpers/app.ts';

let app: StartedApp;
beforeAll(async () => {
	app = await startApp({ pages: false });
});
afterAll(async () => {
	await app?.stop();
});

describe('external simulator', () => {
	it('waits out 429 and 503 with backoff, then delivers', async () => {
		const seen: string[] = [];
		let calls = 0;
		const server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (c) => (body += c));
			req.on('end', () => {
				calls++;
				seen.push(`${req.headers['content-type']} ${req.headers.authorization}`);
				if (calls === 1) res.writeHead(429, { 'retry-after': '0' }).end('{}');
				else if (calls === 2) res.writeHead(503).end('{}');
				else res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: body.trim().split('\n').length, duplicates: 0 }));
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const sink = new HttpSink({ url, token: 'tok', baseDelayMs: 10 });
		const r = await sink.submitEvents([
			{ incident_id: 'a', type: 'assigned', at: '2024-01-01T00:00:00Z' },
			{ incident_id: 'b', type: 'assigned', at: '2024-01-01T00:00:00Z' }
		]);
		server.close();
		expect(r).toEqual({ accepted: 2, duplicates: 0 });
		expect(calls).toBe(3);
		expect(sink.retries).toBe(2);
		expect(seen[0]).toBe('application/x-ndjson Bearer tok');
	});

	it('gives up on a client error instead of retrying', async () => {
		const sink = new HttpSink({ url: app.url, token: 'not-a-valid-token-at-all', baseDelayMs: 10 });
		await expect(sink.submitIncidents([])).resolves.toEqual({ accepted: 0, duplicates: 0 }); // nothing to send
		await expect(sink.post('/api/v1/incidents', [{ id: 'x' }])).rejects.toThrow(/HTTP 401/);
		expect(sink.retries).toBe(0);
	});

	it('`npm run simulate` posts incidents and clusters to a running instance', async () => {
		const out = await new Promise<{ code: number; stdout: string; why: string }>((resolve) => {
			execFile(
				process.execPath,
				['--import', 'tsx', 'server/simulate/cli.ts', '--url', app.url, '--token', app.tokens.ingest, '--rate', '3000', '--clusters', '--cluster-every', '0.00001', '--duration', '4', '--seed', '5'],
				{ cwd: PROJECT_ROOT, encoding: 'utf8' },
				// On a failure, the reason (exit code or signal) and both streams go into the assertion's message.
				(err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, why: err ? `${err.message}\nstdout:\n${stdout}\nstderr:\n${stderr}` : '' })
			);
		});
		expect(out.code, out.why).toBe(0);
		expect(out.stdout).toMatch(/cluster live-/);
		const m = /stopped: (\d+) incidents/.exec(out.stdout);
		expect(Number(m![1])).toBeGreaterThan(0);
		await app.pipeline.drain();
		const r = await app.store.query({ query: "SELECT count() AS n FROM incidents WHERE id LIKE 'demo-%'", format: 'JSONEachRow', clickhouse_settings: { log_comment: 'test_count' } });
		expect(Number((await r.json<{ n: string }>())[0]!.n)).toBe(Number(m![1]));
	});
});
