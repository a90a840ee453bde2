/**
 * The whole UTC days inside a period (`from`, `to`]: what can be summed from the per-day table
 * `place_days`; the rest of the period (the part of `from`'s day after it and the part of `to`'s day up
 * to it) is read row by row. The day holding `from` is never whole, as `from` itself is excluded.
 */
const DAY_MS = 86_400_000;

export interface WholeDays {
	/** First whole day and the day after the last one, `YYYY-MM-DD`; `lo >= hi` when there is none. */
	lo: string;
	hi: string;
	/** The same bounds as instants (midnight UTC). */
	loAt: Date;
	hiAt: Date;
}

export function wholeDays(from: Date, to: Date): WholeDays {
	const loAt = new Date((Math.floor(from.getTime() / DAY_MS) + 1) * DAY_MS);
	const hiAt = new Date(Math.floor(to.getTime() / DAY_MS) * DAY_MS);
	return { lo: day(loAt), hi: day(hiAt), loAt, hiAt };
}

const day = (d: Date): string => d.toISOString().slice(0, 10);
