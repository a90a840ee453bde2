/**
 * Turns a single-server DDL statement into its cluster form: `ON CLUSTER`, a `Replicated*` engine for
 * local tables (`<name>_local`) and a `Distributed` table under the original name, so query code is
 * the same on one server and on a cluster. Views and other statements only gain `ON CLUSTER`.
 */
const CREATE_TABLE = /^CREATE TABLE IF NOT EXISTS ([A-Za-z_][A-Za-z0-9_]*)\s*\n?/;
const ENGINE = /ENGINE\s*=\s*(MergeTree|ReplacingMergeTree|AggregatingMergeTree|SummingMergeTree)(\(([^)]*)\))?/;

export function toClusterDdl(statement: string, cluster: string): string[] {
	const table = CREATE_TABLE.exec(statement);
	const engine = ENGINE.exec(statement);
	if (!table || !engine) {
		return [statement.replace(/^(CREATE|ALTER|DROP)(\s+[A-Z ]+?)(IF (NOT )?EXISTS\s+)?([A-Za-z_][A-Za-z0-9_.]*)/, (m) => `${m} ON CLUSTER ${cluster}`)];
	}
	const name = table[1]!;
	const local = `${name}_local`;
	const args = engine[3] ? `, ${engine[3]}` : '';
	const replicated = `ENGINE = Replicated${engine[1]}('/clickhouse/tables/{shard}/{database}/${local}', '{replica}'${args})`;
	const localDdl = statement
		.replace(CREATE_TABLE, `CREATE TABLE IF NOT EXISTS ${local} ON CLUSTER ${cluster}\n`)
		.replace(ENGINE, replicated);
	const distributed = `CREATE TABLE IF NOT EXISTS ${name} ON CLUSTER ${cluster} AS ${local} ENGINE = Distributed(${cluster}, currentDatabase(), ${local}, rand())`;
	return [localDdl, distributed];
}
