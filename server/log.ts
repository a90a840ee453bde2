/**
 * The process's one logger: pino with the level of `MCU_LOG_LEVEL`, JSON lines when the output is a file or a
 * log collector, readable lines when it is a terminal. Modules take a `log` function (info) or this logger as a
 * dependency; nothing else writes to the console.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from './config.ts';

export type { Logger } from 'pino';

export function createLogger(level: Config['logLevel'], opts: { pretty?: boolean } = {}): Logger {
	const readable = opts.pretty ?? Boolean(process.stdout.isTTY);
	const options = { level, base: undefined };
	if (!readable) return pino(options);
	return pino(options, pretty({ translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }));
}

/** `err` as pino expects it, so a stack is kept. */
export function errorFields(err: unknown): { err: Error } {
	return { err: err instanceof Error ? err : new Error(String(err)) };
}
