/**
 * Starts the whole product for a test: in-process (`startApp`) or as a child process (`startAppProcess`,
 * for SIGKILL and multi-process tests). Each gets a temporary data dir unless one is given.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config.ts';
import { createApplication, type Application } from '../../server/app.ts';
import { loadPages } from '../../server/pages.ts';
import { readDemoTokens, type DemoTokens } from '../../server/auth/tokens.ts';
import type { Store } from '../../server/store/client.ts';
import type { IngestPipeline } from '../../server/ingest/pipeline.ts';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

export function tempDir(prefix = 'mcu-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface StartedApp {
	url: string;
	port: number;
	dataDir: string;
	tokens: DemoTokens;
	store: Store;
	pipeline: IngestPipeline;
	app: Application;
	stop(): Promise<void>;
}

export interface StartOptions {
	dataDir?: string;
	port?: number;
	env?: Record<string, string>;
	/** Serve the built pages (needs `vite build` first). Default: when a build exists. */
	pages?: boolean;
	now?: () => Date;
}

export async function startApp(opts: StartOptions = {}): Promise<StartedApp> {
	const dataDir = opts.dataDir ?? tempDir();
	const config = loadConfig({
		MCU_DATA_DIR: dataDir,
		PORT: String(opts.port ?? 0),
		HOST: '127.0.0.1',
		MCU_DEMO: '0',
		// Reports are rendered only when a test asks: a scheduled run would start Chromium in every test app.
		MCU_REPORTS: '0',
		MCU_LOG_LEVEL: 'warn',
		...opts.env
	});
	const pages = opts.pages === false ? null : await loadPages();
	const app = await createApplication(config, { pages, log: () => undefined, now: opts.now });
	const port = await app.listen();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		tokens: app.tokens,
		store: app.services.store,
		pipeline: app.services.pipeline,
		app,
		stop: () => app.close()
	};
}

export interface AppProcess {
	url: string;
	port: number;
	dataDir: string;
	tokens: DemoTokens;
	child: ChildProcess;
	output(): string;
	/** Resolves with the exit code or signal once the process has ended. */
	exited: Promise<number | string>;
	kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Runs `server/main.ts` as its own process; resolves once it listens. */
export async function startAppProcess(opts: { dataDir?: string; port?: number; env?: Record<string, string> } = {}): Promise<AppProcess> {
	const dataDir = opts.dataDir ?? tempDir();
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'server', 'main.ts')], {
		cwd: PROJECT_ROOT,
		env: {
			PATH: process.env.PATH ?? '',
			HOME: process.env.HOME ?? '',
			MCU_DATA_DIR: dataDir,
			PORT: String(opts.port ?? 0),
			HOST: '127.0.0.1',
			MCU_DEMO: '0',
			...opts.env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)));
	const port = await new Promise<number>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`app did not start in time:\n${out}`)), 90_000);
		const check = () => {
			const m = /running at http:\/\/[^:]+:(\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		};
		child.stdout!.on('data', check);
		void exited.then((code) => {
			clearTimeout(timer);
			reject(new Error(`app exited (${code}) before listening:\n${out}`));
		});
	});
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		dataDir,
		tokens: readDemoTokens(path.join(dataDir, 'tokens.json')),
		child,
		output: () => out,
		exited,
		kill: (signal = 'SIGTERM') => {
			child.kill(signal);
			return exited;
		}
	};
}

/** A response body as JSON when it parses, else as text. */
export async function bodyOf(res: Response): Promise<any> {
	const text = await res.text();
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** POSTs JSON (or NDJSON when `ndjson`) with a bearer token. */
export async function post(url: string, token: string | null, body: unknown, opts: { ndjson?: boolean; contentType?: string } = {}): Promise<{ status: number; body: any }> {
	const payload = opts.ndjson ? (body as unknown[]).map((x) => JSON.stringify(x)).join('\n') : typeof body === 'string' ? body : JSON.stringify(body);
	const res = await fetch(url, {
		method: 'POST',
		headers: {
			'content-type': opts.contentType ?? (opts.ndjson ? 'application/x-ndjson' : 'application/json'),
			...(token ? { authorization: `Bearer ${token}` } : {})
		},
		body: payload
	});
	return { status: res.status, body: await bodyOf(res) };
}

export async function get(url: string, token: string | null): Promise<{ status: number; body: any }> {
	const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
	return { status: res.status, body: await bodyOf(res) };
}

/** Counts stored rows of a table through the app's own store. */
export async function countRows(store: Store, table: 'incidents' | 'incident_events'): Promise<number> {
	const r = await store.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' });
	return Number((await r.json<{ n: string }>())[0]!.n);
}
