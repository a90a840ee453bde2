/**
 * The cluster form of every migration (`CLICKHOUSE_CLUSTER`): replicated local tables, Distributed tables
 * under the original names sharded by the incident id, the replicated insert deduplication window, and
 * statements that the real ClickHouse parser (the embedded engine, `EXPLAIN AST`) accepts. Covers whatever
 * migration files exist, so a new migration is checked the day it lands.
 */
import { describe, expect, it } from 'vitest';
import { query } from 'chdb';
import { readMigrations } from '../../server/store/migrate.ts';
import { columnNames, toClusterDdl } from '../../server/store/cluster-ddl.ts';

const CLUSTER = 'mcu_cluster';
/** How the name appears in DDL: quoted as an identifier after ON CLUSTER, as a literal in Distributed. */
const ON = '`mcu_cluster`';
const LIT = "'mcu_cluster'";
const migrations = readMigrations();
const statements = migrations.flatMap((m) => m.statements.map((sql, i) => ({ where: `${m.name} #${i + 1}`, sql })));

/** Parses without running: throws on a syntax error, as the server would at `migrate`. */
function parses(sql: string): void {
	query(`EXPLAIN AST ${sql}`, 'TSV');
}

const CREATE_MERGE_TREE = /^CREATE TABLE (IF NOT EXISTS )?([A-Za-z_][A-Za-z0-9_]*)[\s\S]*ENGINE\s*=\s*[A-Za-z]*MergeTree/i;

describe('cluster DDL of the migrations', () => {
	it('finds the migration files', () => {
		expect(migrations.length).toBeGreaterThan(0);
		expect(migrations[0]!.name).toBe('001_incidents');
	});

	const INSERT = /^INSERT INTO /i;

	it.each(statements.filter((s) => !INSERT.test(s.sql)))('$where: runs on every node, replicated, and parses', ({ sql }) => {
		const out = toClusterDdl(sql, CLUSTER);
		expect(out.length).toBeGreaterThan(0);
		parses(sql);
		for (const q of out) {
			expect(q).toContain(` ON CLUSTER ${ON}`);
			// No engine of the MergeTree family is left unreplicated.
			for (const m of q.matchAll(/ENGINE\s*=\s*([A-Za-z]*MergeTree)/gi)) expect(m[1]).toMatch(/^Replicated/);
			expect(q).not.toMatch(/non_replicated_deduplication_window/);
			parses(q);
		}
	});

	it.each(statements.filter((s) => INSERT.test(s.sql)))('$where: a backfill runs once, through the Distributed tables, and parses', ({ sql }) => {
		expect(toClusterDdl(sql, CLUSTER)).toEqual([sql]);
		expect(sql).not.toMatch(/_local\b/);
		parses(sql);
	});

	it.each(statements.filter((s) => CREATE_MERGE_TREE.test(s.sql)))('$where: a local table and a Distributed one under the same name', ({ sql }) => {
		const name = CREATE_MERGE_TREE.exec(sql)![2]!;
		const out = toClusterDdl(sql, CLUSTER);
		expect(out).toHaveLength(2);
		const [local, distributed] = out as [string, string];
		expect(local).toMatch(new RegExp(`^CREATE TABLE IF NOT EXISTS ${name}_local ON CLUSTER ${ON}\\s`));
		expect(local).toContain(`'/clickhouse/tables/{shard}/{database}/${name}_local', '{replica}'`);
		// Projections and indexes stay with the data.
		for (const p of sql.matchAll(/\b(PROJECTION|INDEX) ([A-Za-z_0-9]+)/g)) expect(local).toContain(`${p[1]} ${p[2]}`);
		if (/deduplication_window/.test(sql)) expect(local).toMatch(/\breplicated_deduplication_window = \d+/);
		const cols = columnNames(sql);
		const key = cols.includes('id') ? 'cityHash64(id)' : cols.includes('incident_id') ? 'cityHash64(incident_id)' : null;
		const shard = /Distributed\(([^,]+), currentDatabase\(\), ([A-Za-z_0-9]+), (.+)\)$/.exec(distributed);
		expect(distributed.startsWith(`CREATE TABLE IF NOT EXISTS ${name} ON CLUSTER ${ON} AS ${name}_local ENGINE = Distributed(`)).toBe(true);
		expect(shard?.[1]).toBe(LIT);
		expect(shard?.[2]).toBe(`${name}_local`);
		if (key) expect(shard?.[3]).toBe(key);
	});

	it('shards incidents and their events by the incident id, so one incident lives on one shard', () => {
		const all = statements.flatMap((s) => toClusterDdl(s.sql, CLUSTER));
		expect(all.find((q) => /^CREATE TABLE IF NOT EXISTS incidents ON CLUSTER/.test(q))).toMatch(/Distributed\('mcu_cluster', currentDatabase\(\), incidents_local, cityHash64\(id\)\)$/);
		expect(all.find((q) => /^CREATE TABLE IF NOT EXISTS incident_events ON CLUSTER/.test(q))).toMatch(/incident_events_local, cityHash64\(incident_id\)\)$/);
		expect(all.find((q) => /^CREATE TABLE IF NOT EXISTS incidents_local/.test(q))).toMatch(/PROJECTION by_id \(SELECT id, created_at, district ORDER BY id\)/);
	});
});

describe('cluster DDL of other statement kinds', () => {
	const cases: [string, string, string[]][] = [
		[
			'a materialized view with a target reads and writes the local tables',
			'CREATE MATERIALIZED VIEW IF NOT EXISTS daily_mv TO daily AS SELECT toDate(created_at) AS day, count() AS n FROM incidents LEFT JOIN cats USING (category) GROUP BY day',
			[
				`CREATE MATERIALIZED VIEW IF NOT EXISTS daily_mv ON CLUSTER ${ON} TO daily_local\nAS SELECT toDate(created_at) AS day, count() AS n FROM incidents_local LEFT JOIN cats USING (category) GROUP BY day`
			]
		],
		[
			'a materialized view with its own engine is replicated and read through a Distributed table',
			'CREATE MATERIALIZED VIEW IF NOT EXISTS agg ENGINE = AggregatingMergeTree ORDER BY day AS SELECT toDate(created_at) AS day, countState() AS n FROM incidents GROUP BY day',
			[
				`CREATE MATERIALIZED VIEW IF NOT EXISTS agg_local ON CLUSTER ${ON}\nENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/agg_local', '{replica}') ORDER BY day\nAS SELECT toDate(created_at) AS day, countState() AS n FROM incidents_local GROUP BY day`,
				`CREATE TABLE IF NOT EXISTS agg ON CLUSTER ${ON} AS agg_local ENGINE = Distributed(${LIT}, currentDatabase(), agg_local, rand())`
			]
		],
		[
			'a column added below and above; a projection only below',
			'ALTER TABLE incidents ADD COLUMN IF NOT EXISTS phone String, ADD PROJECTION IF NOT EXISTS by_phone (SELECT id ORDER BY phone)',
			[
				`ALTER TABLE incidents_local ON CLUSTER ${ON} ADD COLUMN IF NOT EXISTS phone String, ADD PROJECTION IF NOT EXISTS by_phone (SELECT id ORDER BY phone)`,
				`ALTER TABLE incidents ON CLUSTER ${ON} ADD COLUMN IF NOT EXISTS phone String`
			]
		],
		[
			'a column dropped above first',
			'ALTER TABLE incidents DROP COLUMN IF EXISTS phone',
			[`ALTER TABLE incidents ON CLUSTER ${ON} DROP COLUMN IF EXISTS phone`, `ALTER TABLE incidents_local ON CLUSTER ${ON} DROP COLUMN IF EXISTS phone`]
		],
		['a projection materialized where the data is', 'ALTER TABLE incidents MATERIALIZE PROJECTION by_id', [`ALTER TABLE incidents_local ON CLUSTER ${ON} MATERIALIZE PROJECTION by_id`]],
		['a table dropped with its local table', 'DROP TABLE IF EXISTS old', [`DROP TABLE IF EXISTS old ON CLUSTER ${ON}`, `DROP TABLE IF EXISTS old_local ON CLUSTER ${ON}`]],
		['a plain view reads the Distributed table', 'CREATE VIEW IF NOT EXISTS open_incidents AS SELECT id FROM incidents', [`CREATE VIEW IF NOT EXISTS open_incidents ON CLUSTER ${ON} AS SELECT id FROM incidents`]],
		[
			'a collapsing table without incident ids is sharded by its sorting key',
			'CREATE TABLE IF NOT EXISTS baselines (cell UInt64, hour UInt8, v UInt32, PROJECTION p (SELECT * ORDER BY v)) ENGINE = ReplacingMergeTree(v) ORDER BY (cell, hour)',
			[
				`CREATE TABLE IF NOT EXISTS baselines_local ON CLUSTER ${ON}\n(cell UInt64, hour UInt8, v UInt32, PROJECTION p (SELECT * ORDER BY v)) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/baselines_local', '{replica}', v) ORDER BY (cell, hour)`,
				`CREATE TABLE IF NOT EXISTS baselines ON CLUSTER ${ON} AS baselines_local ENGINE = Distributed(${LIT}, currentDatabase(), baselines_local, cityHash64(cell, hour))`
			]
		],
		[
			'an append-only table without incident ids is spread evenly',
			'CREATE TABLE IF NOT EXISTS log (at DateTime, msg String) ENGINE = MergeTree() ORDER BY at',
			[
				`CREATE TABLE IF NOT EXISTS log_local ON CLUSTER ${ON}\n(at DateTime, msg String) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/log_local', '{replica}') ORDER BY at`,
				`CREATE TABLE IF NOT EXISTS log ON CLUSTER ${ON} AS log_local ENGINE = Distributed(${LIT}, currentDatabase(), log_local, rand())`
			]
		]
	];
	it('quotes a name with a hyphen and refuses one that would need escaping', () => {
		const out = toClusterDdl('CREATE TABLE IF NOT EXISTS log (at DateTime) ENGINE = MergeTree() ORDER BY at', 'mcu-prod');
		expect(out[0]).toContain('ON CLUSTER `mcu-prod`');
		expect(out[1]).toContain("Distributed('mcu-prod', currentDatabase()");
		for (const q of out) parses(q);
		for (const bad of ['c1 SETTINGS x=1', "c1'", 'c1`', '', '1abc']) expect(() => toClusterDdl('DROP TABLE IF EXISTS old', bad)).toThrow(/Invalid cluster name/);
	});

	it.each(cases)('%s', (_what, sql, expected) => {
		const out = toClusterDdl(sql, CLUSTER);
		expect(out).toEqual(expected);
		for (const q of out) parses(q);
	});
});
