/**
 * Turns a single-server DDL statement of a migration into its cluster form (`CLICKHOUSE_CLUSTER`), so the
 * same `.sql` files serve one server and a sharded, replicated cluster, and query code never changes:
 *
 * - `CREATE TABLE t … ENGINE = XMergeTree(args)` becomes `t_local` with `ReplicatedXMergeTree` on every node,
 *   plus a `Distributed` table `t` over it. Rows are sharded by `cityHash64(id)` (or `incident_id`), so every
 *   row of one incident lives on one shard and the pipeline's dedupe-by-id lookup sees all of its copies;
 *   a table without those columns is sharded by its sorting key when its engine collapses rows by key,
 *   otherwise at random. Projections and indexes stay on the local table, where the data is.
 * - The non-replicated insert deduplication window becomes the replicated one: a retried batch with the same
 *   `insert_deduplication_token` is dropped by the replicas of its shard.
 * - `CREATE MATERIALIZED VIEW … TO target AS SELECT … FROM source` fires on the local inserts of each shard,
 *   so it reads `source_local` and writes `target_local`; a view with its own engine becomes a local
 *   replicated view with a `Distributed` table in front, like a table.
 * - `ALTER TABLE t` goes to `t_local`, and column changes to the `Distributed` table too; `DROP TABLE t`
 *   drops both. Everything else (plain views, dictionaries…) only gains `ON CLUSTER`.
 * - `INSERT INTO t SELECT … FROM s` (a migration's backfill) is data, not DDL: it runs once, as it is,
 *   reading every shard of `s` and writing `t` through their Distributed tables.
 */

const IDENT = '[A-Za-z_][A-Za-z0-9_]*';
const CREATE_TABLE = new RegExp(`^CREATE\\s+TABLE\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s*`, 'i');
const CREATE_MV = new RegExp(`^CREATE\\s+MATERIALIZED\\s+VIEW\\s+(IF\\s+NOT\\s+EXISTS\\s+)?(${IDENT})\\s*`, 'i');
const ALTER_TABLE = new RegExp(`^ALTER\\s+TABLE\\s+(${IDENT})\\s+`, 'i');
const INSERT = /^INSERT\s+INTO\b/i;
const DROP_TABLE = new RegExp(`^DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?(${IDENT})\\b`, 'i');
/** The engine and its argument list (one level of nested parentheses, e.g. `ReplacingMergeTree(toUInt64(v))`). */
const ENGINE = /ENGINE\s*=\s*([A-Za-z]*)MergeTree\b(\s*\(((?:[^()]|\([^()]*\))*)\))?/i;
/** Column changes a Distributed table must mirror; other ALTERs (projections, indexes, mutations) are local. */
const COLUMN_ALTER = /^\s*(ADD|DROP|MODIFY|RENAME|COMMENT)\s+COLUMN\b/i;

/** What `CLICKHOUSE_CLUSTER` may be: the name is quoted in DDL, but it must never need escaping. */
const CLUSTER_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

export function toClusterDdl(statement: string, clusterName: string): string[] {
	if (!CLUSTER_NAME.test(clusterName)) throw new Error(`Invalid cluster name ${JSON.stringify(clusterName)}: letters, digits, _ and - only`);
	// Quoted, so a name such as `mcu-prod` is one identifier (`ON CLUSTER`) and one literal (`Distributed`).
	const cluster = `\`${clusterName}\``;
	const sql = statement.trim();
	if (CREATE_TABLE.test(sql) && ENGINE.test(sql)) return shardedTable(sql, cluster);
	if (CREATE_MV.test(sql)) return materializedView(sql, cluster);
	if (INSERT.test(sql)) return [sql];
	const alter = ALTER_TABLE.exec(sql);
	if (alter) return alterTable(sql, alter[1]!, cluster);
	const drop = DROP_TABLE.exec(sql);
	if (drop) {
		const ifExists = drop[1] ? 'IF EXISTS ' : '';
		const rest = sql.slice(drop[0].length);
		// The Distributed table first: nothing reads a local table that is already gone.
		return [drop[2]!, localName(drop[2]!)].map((t) => `DROP TABLE ${ifExists}${t} ON CLUSTER ${cluster}${rest}`);
	}
	return [addOnCluster(sql, cluster)];
}

export function localName(table: string): string {
	return `${table}_local`;
}

/** The ZooKeeper/Keeper path of a replicated table: one replication group per shard. */
export function replicationPath(local: string): string {
	return `/clickhouse/tables/{shard}/{database}/${local}`;
}

function shardedTable(sql: string, cluster: string): string[] {
	const head = CREATE_TABLE.exec(sql)!;
	const name = head[2]!;
	const local = localName(name);
	const ifNotExists = head[1] ? 'IF NOT EXISTS ' : '';
	const localDdl = replicateEngine(sql.replace(CREATE_TABLE, `CREATE TABLE ${ifNotExists}${local} ON CLUSTER ${cluster}\n`), local);
	const distributed = `CREATE TABLE ${ifNotExists}${name} ON CLUSTER ${cluster} AS ${local} ENGINE = Distributed(${clusterLiteral(cluster)}, currentDatabase(), ${local}, ${shardingKey(sql)})`;
	return [localDdl, distributed];
}

function replicateEngine(sql: string, local: string): string {
	return sql
		.replace(ENGINE, (whole: string, kind: string, _p: string | undefined, args: string | undefined) => {
			if (/^replicated/i.test(kind)) return whole;
			const rest = args && args.trim() !== '' ? `, ${args.trim()}` : '';
			return `ENGINE = Replicated${kind}MergeTree('${replicationPath(local)}', '{replica}'${rest})`;
		})
		.replace(/\bnon_replicated_deduplication_window\b/g, 'replicated_deduplication_window');
}

/**
 * `cityHash64(id)` for incidents, `cityHash64(incident_id)` for what belongs to one; a collapsing engine
 * needs rows of one key on one shard; anything else spreads evenly.
 */
export function shardingKey(sql: string): string {
	const columns = columnNames(sql);
	if (columns.includes('id')) return 'cityHash64(id)';
	if (columns.includes('incident_id')) return 'cityHash64(incident_id)';
	const engine = ENGINE.exec(sql)?.[1] ?? '';
	// The table's sorting key comes after the engine; a projection's ORDER BY comes before it.
	const afterEngine = sql.slice(Math.max(0, sql.search(/\bENGINE\s*=/i)));
	const orderBy = /\bORDER\s+BY\s+(\((?:[^()]|\([^()]*\))*\)|[^\s]+)/i.exec(afterEngine)?.[1];
	if (engine !== '' && orderBy && orderBy !== 'tuple()') return `cityHash64(${orderBy.replace(/^\((.*)\)$/s, '$1')})`;
	return 'rand()';
}

/** Column names of a `CREATE TABLE … ( … )` body; projections, indexes and constraints are not columns. */
export function columnNames(ddl: string): string[] {
	// Comments may hold commas and parentheses of their own.
	const sql = ddl.replace(/--[^\n]*/g, '');
	const open = sql.indexOf('(', CREATE_TABLE.exec(sql)?.[0].length ?? 0);
	const engineAt = sql.search(/\bENGINE\s*=/i);
	if (open < 0 || (engineAt >= 0 && open > engineAt)) return [];
	let depth = 0;
	let part = '';
	const parts: string[] = [];
	for (let i = open + 1; i < sql.length; i++) {
		const ch = sql[i]!;
		if (ch === '(') depth++;
		if (ch === ')') {
			if (depth === 0) break;
			depth--;
		}
		if (ch === ',' && depth === 0) {
			parts.push(part);
			part = '';
		} else part += ch;
	}
	parts.push(part);
	return parts
		.map((p) => p.trim())
		.filter((p) => p !== '' && !/^(PROJECTION|INDEX|CONSTRAINT)\b/i.test(p))
		.map((p) => p.split(/\s+/)[0]!.replace(/`/g, ''));
}

function materializedView(sql: string, cluster: string): string[] {
	const head = CREATE_MV.exec(sql)!;
	const name = head[2]!;
	const ifNotExists = head[1] ? 'IF NOT EXISTS ' : '';
	// The trigger fires on inserts into its first FROM table: on a cluster those land in the local table of
	// each shard. Joined tables keep their (Distributed) names, so a lookup still sees every shard.
	const select = (s: string) => s.replace(new RegExp(`\\bFROM\\s+(${IDENT})\\b(?!\\s*\\()`, 'i'), (_m, t: string) => `FROM ${localName(t)}`);
	const to = new RegExp(`^\\s*TO\\s+(${IDENT})\\b`, 'i');
	const body = sql.slice(head[0].length);
	if (to.test(body)) {
		const asAt = body.search(/\bAS\s+SELECT\b/i);
		const target = body.slice(0, asAt).replace(to, (_m, t: string) => `TO ${localName(t)}`);
		return [`CREATE MATERIALIZED VIEW ${ifNotExists}${name} ON CLUSTER ${cluster} ${target.trim()}\n${select(body.slice(asAt))}`];
	}
	// A view with its own storage: replicated locally, read through a Distributed table of its name.
	const local = localName(name);
	const asAt = body.search(/\bAS\s+SELECT\b/i);
	const localDdl = replicateEngine(`CREATE MATERIALIZED VIEW ${ifNotExists}${local} ON CLUSTER ${cluster}\n${body.slice(0, asAt).trim()}\n`, local) + select(body.slice(asAt));
	const distributed = `CREATE TABLE ${ifNotExists}${name} ON CLUSTER ${cluster} AS ${local} ENGINE = Distributed(${clusterLiteral(cluster)}, currentDatabase(), ${local}, rand())`;
	return [localDdl, distributed];
}

function alterTable(sql: string, table: string, cluster: string): string[] {
	const commands = sql.slice(ALTER_TABLE.exec(sql)![0].length);
	const local = `ALTER TABLE ${localName(table)} ON CLUSTER ${cluster} ${commands}`;
	const columnChanges = commands
		.split(/,(?![^()]*\))/)
		.map((c) => c.trim())
		.filter((c) => COLUMN_ALTER.test(c));
	if (columnChanges.length === 0) return [local];
	const distributed = `ALTER TABLE ${table} ON CLUSTER ${cluster} ${columnChanges.join(', ')}`;
	// A column is added below before it is shown above, and hidden above before it is dropped below.
	return columnChanges.some((c) => /^DROP\b/i.test(c)) ? [distributed, local] : [local, distributed];
}

/** `CREATE VIEW v …`, `CREATE DICTIONARY d …`, `CREATE FUNCTION f …`: the same statement on every node. */
function addOnCluster(sql: string, cluster: string): string {
	if (/\bON\s+CLUSTER\b/i.test(sql)) return sql;
	const m = new RegExp(
		`^((?:CREATE(?:\\s+OR\\s+REPLACE)?|ALTER|DROP|RENAME|TRUNCATE)\\s+(?:TEMPORARY\\s+)?(?:TABLE|VIEW|DICTIONARY|FUNCTION|DATABASE)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?${IDENT}(?:\\.${IDENT})?)`,
		'i'
	).exec(sql);
	return m ? `${m[1]} ON CLUSTER ${cluster}${sql.slice(m[1]!.length)}` : sql;
}

/** The cluster as a string literal for `Distributed(...)`, from its quoted identifier form. */
function clusterLiteral(quoted: string): string {
	return `'${quoted.slice(1, -1)}'`;
}
