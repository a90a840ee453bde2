/** Figures and their presentation: percentiles, tables, the one JSON line per benchmark, machine facts. */
import os from 'node:os';

/** Linear interpolation between closest ranks (the same definition as percentile_cont). */
export function percentile(sorted: readonly number[], p: number): number | null {
	if (sorted.length === 0) return null;
	const rank = (sorted.length - 1) * p;
	const lo = Math.floor(rank);
	const hi = Math.ceil(rank);
	return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

export interface Distribution {
	n: number;
	p50: number | null;
	p90: number | null;
	p99: number | null;
	max: number | null;
}

export function distribution(values: readonly number[], digits = 2): Distribution {
	const sorted = Float64Array.from(values).sort();
	const r = (x: number | null) => (x === null ? null : round(x, digits));
	const arr = Array.from(sorted);
	return { n: arr.length, p50: r(percentile(arr, 0.5)), p90: r(percentile(arr, 0.9)), p99: r(percentile(arr, 0.99)), max: r(arr.at(-1) ?? null) };
}

export function median(values: readonly number[]): number {
	return percentile([...values].sort((a, b) => a - b), 0.5) ?? NaN;
}

export function round(x: number, digits: number): number {
	return Math.round(x * 10 ** digits) / 10 ** digits;
}

/** Prints rows as an aligned text table; `columns` fixes the order (default: keys of the first row). */
export function printTable(title: string, rows: readonly Record<string, unknown>[], columns?: string[]): void {
	const cols = columns ?? Object.keys(rows[0] ?? {});
	const cell = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
	const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
	const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ');
	console.log(`\n${title}`);
	console.log(line(cols));
	console.log(line(widths.map((w) => '-'.repeat(w))));
	for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

/** Flattens nested figures into `a.b.c` keys for the summary table. */
export function flatten(obj: Record<string, unknown>, prefix = ''): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(obj)) {
		const key = prefix ? `${prefix}.${k}` : k;
		if (v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v as Record<string, unknown>, key));
		else out[key] = v;
	}
	return out;
}

/** The machine the figures were measured on. */
export function machine(): Record<string, unknown> {
	const cpus = os.cpus();
	return {
		cpu: cpus[0]?.model.trim() ?? 'unknown',
		cores: cpus.length,
		memory_gib: round(os.totalmem() / 2 ** 30, 1),
		os: `${os.type()} ${os.release()}`,
		node: process.version,
		load_avg_1m: round(os.loadavg()[0]!, 2)
	};
}

/** Milliseconds from a `process.hrtime.bigint()` difference. */
export function ms(ns: bigint): number {
	return Number(ns) / 1e6;
}

export const sleep = (msec: number) => new Promise<void>((r) => setTimeout(r, msec));
