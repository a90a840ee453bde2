/**
 * Do two engines give the same answer? Rows are compared as sets after a canonical form: timestamps as
 * epoch ms (ISO text or Date), numeric text as numbers, NaN as null; whole numbers must be equal,
 * fractional ones (percentiles in minutes) within a relative 1e-6.
 */
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

function canonical(v: unknown): unknown {
	if (v instanceof Date) return v.getTime();
	if (typeof v === 'string') {
		if (ISO.test(v)) return Date.parse(v);
		if (/^-?\d+(\.\d+)?$/.test(v)) return canonical(Number(v));
		return v;
	}
	if (typeof v === 'number') return Number.isNaN(v) ? null : v;
	return v ?? null;
}

type Row = [string, unknown][];

function canon(row: Record<string, unknown>): Row {
	return Object.keys(row)
		.sort()
		.map((k) => [k, canonical(row[k])]);
}

/** Sort key: everything but fractional numbers, which may differ in the last bits. */
const sortKey = (r: Row) => JSON.stringify(r.map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? '~' : v]));

function close(a: unknown, b: unknown): boolean {
	if (typeof a === 'number' && typeof b === 'number') return a === b || Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
	return a === b;
}

export function sameRows(a: readonly Record<string, unknown>[], b: readonly Record<string, unknown>[]): boolean {
	if (a.length !== b.length) return false;
	const x = a.map(canon).sort((p, q) => sortKey(p).localeCompare(sortKey(q)));
	const y = b.map(canon).sort((p, q) => sortKey(p).localeCompare(sortKey(q)));
	return x.every((r, i) => {
		const s = y[i]!;
		return r.length === s.length && r.every(([k, v], j) => s[j]![0] === k && close(v, s[j]![1]));
	});
}
