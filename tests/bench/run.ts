/**
 * `npm run bench`: runs every benchmark module of this folder (each `tests/bench/*.ts` that exports
 * `run()`), one after another, and prints for each its table(s), a summary table and one JSON line
 * (`BENCH {...}`). `npm run bench -- ingest latency` runs only those; `--list` names them all.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs, USAGE, type BenchOptions } from './lib/options.ts';
import { flatten, machine, printTable, round } from './lib/report.ts';

interface BenchModule {
	name: string;
	title: string;
	file: string;
}

/** Ours first in a sensible order (cheap → expensive, the soak last); any other module after, by name. */
const ORDER = ['ingest', 'latency', 'broadcast', 'snapshot', 'soak'];

/** Found by reading the source, not importing it: each module is imported only in its own process. */
function discover(): BenchModule[] {
	const dir = import.meta.dirname;
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run.ts');
	const mods: BenchModule[] = [];
	for (const f of files) {
		const file = path.join(dir, f);
		const src = fs.readFileSync(file, 'utf8');
		if (!/^export\s+(async\s+)?function\s+run\s*\(/m.test(src)) continue;
		const name = f.slice(0, -3);
		const title = /^export const title = '([^']*)'/m.exec(src)?.[1] ?? /^\/\*\*\s*\n?\s*\*?\s*([^\n]+)/.exec(src)?.[1]?.trim() ?? name;
		mods.push({ name, title, file });
	}
	// Others (the analytics benchmarks) run after the snapshot queries and before the soak.
	const rank = (n: string) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.indexOf('soak') - 0.5);
	return mods.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

async function main(): Promise<number> {
	const opts = parseArgs(process.argv.slice(2));
	if (opts.help) {
		console.log(USAGE);
		return 0;
	}
	const all = discover();
	if (opts.list) {
		for (const m of all) console.log(`${m.name.padEnd(24)} ${m.title}`);
		return 0;
	}
	const unknown = opts.select.filter((s) => !all.some((m) => m.name.startsWith(s)));
	if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(', ')}; known: ${all.map((m) => m.name).join(', ')}`);
	const chosen = opts.select.length === 0 ? all : all.filter((m) => opts.select.some((s) => m.name.startsWith(s)));

	const host = machine();
	printTable('Machine', Object.entries(host).map(([fact, value]) => ({ fact, value })));
	const results: Record<string, unknown> = {};
	let failures = 0;
	const suiteStart = Date.now();
	for (const m of chosen) {
		console.log(`\n=== ${m.name}: ${m.title}`);
		const t0 = Date.now();
		let figures: Record<string, unknown>;
		try {
			figures = await runInChild(m, opts);
		} catch (e) {
			failures++;
			console.error(`${m.name} failed: ${(e as Error).message}`);
			figures = { error: (e as Error).message.split('\n')[0] };
		}
		const seconds = round((Date.now() - t0) / 1000, 1);
		// Long series (a soak curve) stay in the JSON line only.
		const summary = Object.entries(flatten(figures)).map(([figure, value]) => ({
			figure,
			value: Array.isArray(value) && value.length > 8 ? `[${value.length} values: see the JSON line]` : value
		}));
		printTable(`${m.name}: summary (${seconds} s)`, summary);
		console.log(`BENCH ${JSON.stringify({ bench: m.name, seconds, figures })}`);
		results[m.name] = figures;
	}
	const total = round((Date.now() - suiteStart) / 1000, 1);
	console.log(`\nAll chosen benchmarks ran in ${total} s${failures ? `; ${failures} failed` : ''}.`);
	if (opts.out) {
		fs.writeFileSync(opts.out, JSON.stringify({ at: new Date().toISOString(), machine: host, seconds: total, results }, null, 2) + '\n');
		console.log(`Results written to ${opts.out}`);
	}
	return failures ? 1 : 0;
}

function runInChild(m: BenchModule, opts: BenchOptions): Promise<Record<string, unknown>> {
	return new Promise((resolve, reject) => {
		const child = fork(path.join(import.meta.dirname, 'lib', 'run-one.ts'), [m.file, JSON.stringify(opts)], {
			execArgv: ['--import', 'tsx'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc']
		});
		let outcome: { ok: true; figures: Record<string, unknown> } | { ok: false; error: string } | null = null;
		child.on('message', (msg) => (outcome = msg as typeof outcome));
		child.on('exit', (code, signal) => {
			if (outcome?.ok) resolve(outcome.figures);
			else reject(new Error(outcome ? outcome.error : `exited (${signal ?? code}) without figures`));
		});
	});
}

main().then(
	(code) => process.exit(code),
	(e: unknown) => {
		console.error(e instanceof Error ? e.message : e);
		process.exit(2);
	}
);
