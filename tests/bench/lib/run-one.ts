/**
 * Runs one benchmark module in its own process (spawned by `run.ts`): an embedded engine binds one data
 * dir per process, and a benchmark's memory or leftover handles must not colour the next one.
 * argv: <module file> <options JSON>; the figures go back over IPC.
 */
import { pathToFileURL } from 'node:url';
import type { BenchOptions } from './options.ts';

const [file, json] = process.argv.slice(2);

async function main(): Promise<void> {
	const mod = (await import(pathToFileURL(file!).href)) as { run?: (o: BenchOptions) => Promise<Record<string, unknown>> };
	if (typeof mod.run !== 'function') throw new Error(`${file} exports no run()`);
	const figures = await mod.run(JSON.parse(json ?? '{}') as BenchOptions);
	await reply({ ok: true, figures });
}

/** Sends the outcome, then exits: a module may leave an engine or timers open behind it. */
function reply(msg: unknown): Promise<void> {
	return new Promise((resolve) => (process.send ? process.send(msg, () => resolve()) : resolve()));
}

main().then(
	() => process.exit(0),
	async (e: unknown) => {
		await reply({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
		process.exit(1);
	}
);
