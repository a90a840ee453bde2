/** The parameters every week query of the report binds (each query runs through server/store/query.ts). */
import { chTime } from '../../store/time.ts';

/** Parameters every week query binds: the week's bounds and the week before, as UTC instants. */
export interface WeekParams {
	start: Date;
	end: Date;
	prev_start: Date;
	tz: string;
}

export function weekParams(p: WeekParams): Record<string, string> {
	return { start: chTime(p.start), end: chTime(p.end), prev_start: chTime(p.prev_start), tz: p.tz };
}
