/**
 * A chronic-places period (`{from}`, `{to}`] split for `place_days`: its whole UTC days
 * (`{day_lo}` ≤ day < `{day_hi}`) are read from the per-day table, the rest of it from `incidents`
 * (`EDGE_ROWS`: the part of `from`'s day after it and the part of `to`'s day up to it; the whole period
 * when it holds no whole day). Named fragments and their parameters, shared by the queries over both.
 */
import { chTime } from '../../analytics/time.ts';
import { wholeDays } from '../whole-days.ts';

/** Rows of one category, or of every one when `{category}` is NULL. */
export const OF_CATEGORY = `({category:Nullable(String)} IS NULL OR category = {category:Nullable(String)})`;

/** Incidents of the period outside its whole days: `{full_lo}`…`{full_hi}` are those days as instants. */
export const EDGE_ROWS = `created_at > {from:DateTime64(3)} AND created_at <= {to:DateTime64(3)}
	  AND (created_at < {full_lo:DateTime64(3)} OR created_at >= {full_hi:DateTime64(3)})`;

export interface PeriodQuery {
	district: string | null;
	category: string | null;
	from: Date;
	to: Date;
}

export function periodParams(q: PeriodQuery): Record<string, string | null> {
	const days = wholeDays(q.from, q.to);
	return {
		district: q.district,
		category: q.category,
		from: chTime(q.from),
		to: chTime(q.to),
		day_lo: days.lo,
		day_hi: days.hi,
		full_lo: chTime(days.loAt),
		full_hi: chTime(days.hiAt)
	};
}
