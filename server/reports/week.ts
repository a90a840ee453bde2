/**
 * ISO weeks (`YYYY-Www`) in the city's zone: a week runs from Monday 00:00 to the next Monday 00:00
 * local time. Calendar arithmetic happens on plain dates (UTC midnights), and only the two boundary
 * instants are converted through the zone, so the rules hold in any zone, with or without DST.
 */
import { TZDate } from '@date-fns/tz';

const DAY_MS = 86_400_000;
const WEEK_RE = /^(\d{4})-W(\d{2})$/;

export interface IsoWeek {
	/** `YYYY-Www`, e.g. `2024-W10`. */
	week: string;
	year: number;
	num: number;
	/** The first instant of the week (Monday 00:00 local), UTC. */
	start: Date;
	/** The first instant after the week (next Monday 00:00 local), UTC. */
	end: Date;
	/** The seven local dates of the week, `YYYY-MM-DD`, Monday first. */
	days: string[];
}

/** Monday (as a UTC-midnight timestamp) of ISO week 1 of `year`: the week holding 4 January. */
function week1Monday(year: number): number {
	const jan4 = Date.UTC(year, 0, 4);
	const dow = (new Date(jan4).getUTCDay() + 6) % 7;
	return jan4 - dow * DAY_MS;
}

export function weeksInYear(year: number): number {
	return (week1Monday(year + 1) - week1Monday(year)) / (7 * DAY_MS);
}

function formatWeek(year: number, num: number): string {
	return `${year}-W${String(num).padStart(2, '0')}`;
}

function isoDate(utcMidnight: number): string {
	return new Date(utcMidnight).toISOString().slice(0, 10);
}

/** The instant of local midnight of the calendar date held as a UTC-midnight timestamp. */
function localMidnight(utcMidnight: number, tz: string): Date {
	const d = new Date(utcMidnight);
	return new Date(new TZDate(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), tz).getTime());
}

function fromMonday(monday: number, tz: string): IsoWeek {
	const thursday = monday + 3 * DAY_MS;
	const year = new Date(thursday).getUTCFullYear();
	const num = 1 + Math.round((monday - week1Monday(year)) / (7 * DAY_MS));
	return {
		week: formatWeek(year, num),
		year,
		num,
		start: localMidnight(monday, tz),
		end: localMidnight(monday + 7 * DAY_MS, tz),
		days: Array.from({ length: 7 }, (_, i) => isoDate(monday + i * DAY_MS))
	};
}

/** Parses `YYYY-Www`; null for anything else, including week 53 of a 52-week year. */
export function parseWeek(week: string, tz: string): IsoWeek | null {
	const m = WEEK_RE.exec(week);
	if (!m) return null;
	const year = Number(m[1]);
	const num = Number(m[2]);
	if (num < 1 || num > weeksInYear(year)) return null;
	return fromMonday(week1Monday(year) + (num - 1) * 7 * DAY_MS, tz);
}

/** The week holding the instant `at`, counted in `tz`. */
export function weekOf(at: Date, tz: string): IsoWeek {
	const local = new TZDate(at.getTime(), tz);
	const day = Date.UTC(local.getFullYear(), local.getMonth(), local.getDate());
	const dow = (new Date(day).getUTCDay() + 6) % 7;
	return fromMonday(day - dow * DAY_MS, tz);
}

/** The week `n` weeks before `w` (n may be negative). */
export function shiftWeek(w: IsoWeek, n: number, tz: string): IsoWeek {
	const monday = week1Monday(w.year) + (w.num - 1) * 7 * DAY_MS;
	return fromMonday(monday - n * 7 * DAY_MS, tz);
}

/** The last complete week before the one holding `at`: what the Monday report covers. */
export function previousWeek(at: Date, tz: string): IsoWeek {
	return shiftWeek(weekOf(at, tz), 1, tz);
}
