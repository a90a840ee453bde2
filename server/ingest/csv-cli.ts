/**
 * `npm run import -- FILE.csv [--map MAP.json] [--url URL] [--token T]`: imports a historical CSV export into a
 * running instance through its public API (columns: see csv-import.ts; another system's export: csv-mapping.ts). Defaults: http://127.0.0.1:$PORT and
 * the ingest token from the tokens file (`MCU_TOKENS_FILE` or `$MCU_DATA_DIR/tokens.json`).
 * Exit code 0 when every row was imported, 1 when some rows were bad (the good ones are imported).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { loadCityPack } from '../city/pack.ts';
import { HttpSink } from '../simulate/http-sink.ts';
import { importCsv } from './csv-import.ts';
import { readMapping } from './csv-mapping.ts';
import { complain, say } from '../terminal.ts';

const USAGE = 'usage: npm run import -- FILE.csv [--map MAPPING.json] [--url URL] [--token TOKEN] [--batch N]';

function ingestToken(file: string): string {
	let tokens: Record<string, string>;
	try {
		tokens = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
	} catch (err) {
		throw new Error(`no --token given and ${file} is not readable: ${(err as Error).message}`);
	}
	const token = Object.keys(tokens).find((t) => tokens[t] === 'ingest') ?? Object.keys(tokens).find((t) => tokens[t] === 'admin');
	if (!token) throw new Error(`no ingest token in ${file}`);
	return token;
}

async function main(): Promise<number> {
	const { values, positionals } = parseArgs({
		allowPositionals: true,
		options: { url: { type: 'string' }, token: { type: 'string' }, batch: { type: 'string', default: '1000' }, map: { type: 'string' } }
	});
	const file = positionals[0];
	if (!file) {
		complain(USAGE);
		return 2;
	}
	// A bad mapping stops before anything is posted.
	const mapping = values.map ? readMapping(values.map) : undefined;
	const config = loadConfig();
	const city = loadCityPack(config.cityDir, config.tz);
	const url = values.url ?? `http://127.0.0.1:${config.port}`;
	const token = values.token ?? ingestToken(config.tokensFile ?? path.join(config.dataDir, 'tokens.json'));
	const sink = new HttpSink({ url, token, log: (m) => complain(m) });
	const report = await importCsv(fs.readFileSync(file), city, sink, { batchSize: Number(values.batch), mapping });
	for (const e of report.errors) complain(`${file}:${e.line}: ${e.message}`);
	say(
		`${file}: ${report.rows} rows (${report.encoding}, "${report.delimiter}"): ${report.imported} imported, ` +
			`${report.duplicates} already there, ${report.events} status events, ${report.errors.length} bad rows`
	);
	return report.errors.length ? 1 : 0;
}

main().then(
	(code) => process.exit(code),
	(err: unknown) => {
		complain((err as Error).message);
		process.exit(2);
	}
);
