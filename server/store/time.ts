/** Instants in and out of the engine: the text forms of DateTime64 parameters and results. */

/** The DateTime64(3) text form ClickHouse parses for `{x:DateTime64(3)}` parameters (UTC). */
export function chTime(d: Date): string {
	return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** ClickHouse output of a UTC DateTime64 (ISO with or without `Z` and ms) → canonical RFC 3339 UTC (`Date#toISOString`). */
export function isoOut(s: string): string {
	// Without a zone designator the text is UTC (the columns are DateTime64(3, 'UTC')), never the process's zone.
	return new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(s) ? s : s + 'Z').toISOString();
}
