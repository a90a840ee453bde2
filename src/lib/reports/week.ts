/** The ISO week the report form offers: the last one that has ended in the city's zone. */

const DAY_MS = 86_400_000;

/** `YYYY-Www` of the local date held as a UTC-midnight timestamp. */
function isoWeek(utcMidnight: number): string {
	const d = new Date(utcMidnight);
	// The ISO year is the year of the week's Thursday.
	const thursday = new Date(utcMidnight + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS);
	const year = thursday.getUTCFullYear();
	const jan1 = Date.UTC(year, 0, 1);
	const num = 1 + Math.floor((thursday.getTime() - jan1) / (7 * DAY_MS));
	return `${year}-W${String(num).padStart(2, '0')}`;
}

/** The week before the one holding `now` in `tz`: the newest week a report can be made for. */
export function lastFinishedWeek(now: Date, tz: string): string {
	return isoWeek(localDay(now, tz) - 7 * DAY_MS);
}

/** The calendar date of `now` in `tz`, as a UTC-midnight timestamp. */
function localDay(now: Date, tz: string): number {
	const parts = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
	const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
	return Date.UTC(n('year'), n('month') - 1, n('day'));
}

export interface WeekOption {
	week: string;
	/** Monday and Sunday, local `YYYY-MM-DD`. */
	from: string;
	to: string;
}

/** The `count` finished weeks up to `lastFinishedWeek`, newest first: the choices of the report form. */
export function recentWeeks(now: Date, tz: string, count: number): WeekOption[] {
	const today = localDay(now, tz);
	const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY_MS;
	const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
	return Array.from({ length: count }, (_, i) => {
		const start = monday - (i + 1) * 7 * DAY_MS;
		return { week: isoWeek(start), from: iso(start), to: iso(start + 6 * DAY_MS) };
	});
}
