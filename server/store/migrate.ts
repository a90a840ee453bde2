/**
 * Numbered `.sql` migrations, applied in order at start-up and recorded in `schema_migrations`.
 * Every statement is idempotent (`IF NOT EXISTS`), so a crash between a statement and its record
 * only repeats harmless work. With `CLICKHOUSE_CLUSTER` set, tables become replicated and get a
 * Distributed table in front (see `cluster-ddl.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Store } from './client.ts';
import { runQuery } from './query.ts';
import { toClusterDdl } from './cluster-ddl.ts';

const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');

export interface Migration {
	version: number;
	name: string;
	statements: string[];
}

/** Splits a migration file into statements; comments and blank lines are dropped. */
export function splitStatements(sql: string): string[] {
	const noComments = sql
		.split('\n')
		.filter((line) => !line.trim().startsWith('--'))
		.join('\n');
	return noComments
		.split(/;\s*(?:\n|$)/)
		.map((s) => s.trim())
		.filter((s) => s.length > 0);
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
	return fs
		.readdirSync(dir)
		.filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
		.sort()
		.map((file) => ({
			version: Number(file.slice(0, 3)),
			name: file.replace(/\.sql$/, ''),
			statements: splitStatements(fs.readFileSync(path.join(dir, file), 'utf8'))
		}));
}

export async function migrate(store: Store, opts: { cluster?: string | null } = {}): Promise<string[]> {
	const cluster = opts.cluster ?? null;
	const onCluster = cluster ? ` ON CLUSTER ${cluster}` : '';
	await store.command({
		query: `CREATE TABLE IF NOT EXISTS schema_migrations${onCluster} (version UInt32, name String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
			ENGINE = ${cluster ? "ReplicatedReplacingMergeTree('/clickhouse/tables/{database}/schema_migrations', '{replica}')" : 'ReplacingMergeTree'} ORDER BY version`
	});
	const versions = await runQuery(store, 'migrations_applied', 'SELECT version FROM schema_migrations FINAL', {}, z.object({ version: z.coerce.number() }));
	const done = new Set(versions.map((row) => row.version));
	const applied: string[] = [];
	for (const m of readMigrations()) {
		if (done.has(m.version)) continue;
		for (const statement of m.statements) {
			for (const q of cluster ? toClusterDdl(statement, cluster) : [statement]) {
				await store.command({ query: q });
			}
		}
		await store.insert({
			table: 'schema_migrations',
			values: [{ version: m.version, name: m.name }],
			format: 'JSONEachRow'
		});
		applied.push(m.name);
	}
	return applied;
}
