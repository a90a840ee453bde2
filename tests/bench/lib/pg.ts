/**
 * A private PostgreSQL 15 for the comparison: Debian's binaries, a fresh data dir under the system temp
 * dir, a random port on 127.0.0.1, stopped and removed afterwards. As root the server runs as the
 * `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../helpers/net.ts';

export const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface PgServer {
	client: pg.Client;
	/** A directory the server may read files from (for COPY). */
	shareDir: string;
	settings: Record<string, string>;
	version: string;
	stop(): Promise<void>;
}

/** Memory and parallelism given to PostgreSQL: what a tuned single-node install on this machine would get. */
const SETTINGS: Record<string, string> = {
	shared_buffers: '2GB',
	work_mem: '256MB',
	maintenance_work_mem: '1GB',
	effective_cache_size: '8GB',
	max_parallel_workers_per_gather: '2',
	random_page_cost: '1.1',
	// A benchmark database is rebuilt on every run: skip the WAL work a durable load would pay.
	fsync: 'off',
	synchronous_commit: 'off',
	full_page_writes: 'off',
	wal_level: 'minimal',
	max_wal_senders: '0',
	max_wal_size: '8GB',
	timezone: 'UTC'
};

export function pgAvailable(): boolean {
	return fs.existsSync(path.join(PG_BIN, 'postgres'));
}

/**
 * Installs Debian's PostgreSQL 15 when it is missing and this is a root shell with apt (as on the project's
 * machines); elsewhere the comparison is skipped with a hint. Returns whether PostgreSQL is there now.
 */
export function ensurePostgres(log: (msg: string) => void = console.log): boolean {
	if (pgAvailable()) return true;
	if (process.getuid?.() !== 0 || !fs.existsSync('/usr/bin/apt-get')) return false;
	log('PostgreSQL 15 is missing: installing Debian\'s postgresql for the comparison…');
	const r = spawnSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null'], { stdio: 'inherit' });
	return r.status === 0 && pgAvailable();
}

export async function startPostgres(): Promise<PgServer> {
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcu-bench-pg-'));
	const dataDir = path.join(root, 'data');
	const shareDir = path.join(root, 'share');
	fs.mkdirSync(shareDir);
	const asRoot = process.getuid?.() === 0;
	if (asRoot) {
		const pw = execFileSync('id', ['-u', 'postgres']).toString().trim();
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		fs.chownSync(root, Number(pw), gid);
		fs.chmodSync(root, 0o755);
		fs.chmodSync(shareDir, 0o777);
	}
	const runAs = (cmd: string, args: string[]) => {
		const full = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : ([cmd, args] as const);
		const r = spawnSync(full[0], [...full[1]], { encoding: 'utf8' });
		if (r.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${r.stderr || r.stdout}`);
	};
	runAs(path.join(PG_BIN, 'initdb'), ['-D', dataDir, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C']);
	const port = await freePort();
	const opts = [`-p ${port}`, `-k ${root}`, `-c listen_addresses=127.0.0.1`, ...Object.entries(SETTINGS).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
	runAs(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-o', opts, '-l', path.join(root, 'server.log'), '-w', '-t', '60', 'start']);
	const stop = async () => {
		try {
			runAs(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	};
	try {
		const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
		await client.connect();
		const version = (await client.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
		return {
			client,
			shareDir,
			settings: SETTINGS,
			version,
			stop: async () => {
				await client.end().catch(() => undefined);
				await stop();
			}
		};
	} catch (e) {
		await stop();
		throw e;
	}
}
