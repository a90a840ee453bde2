/**
 * Calendar boundaries in the city's zone, computed once per snapshot and passed to SQL as UTC
 * instants. Days start at local midnight and weeks on local Monday 00:00 (ISO), never at UTC ones.
 */
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays, startOfDay, startOfISOWeek } from 'date-fns';

export interface Boundaries {
	now: Date;
	/** Local midnight today. */
	todayStart: Date;
	/** Local midnight 8 weeks before today: the first day counted in `today_usual`. */
	usualFrom: Date;
	/** ISO weekday (1 = Monday … 7 = Sunday) of today in the city's zone. */
	isoWeekday: number;
	/** Local midnight 29 days before today: the first of the 30 days of `response_daily`. */
	responseFrom: Date;
	/** The 30 local dates (YYYY-MM-DD) of `response_daily`, oldest first. */
	responseDays: string[];
	/** Local Monday 00:00 of this ISO week. */
	weekStart: Date;
	/** Same wall-clock instant one week earlier: last week is compared up to the same point. */
	lastWeekStart: Date;
	lastWeekNow: Date;
}

export const USUAL_WEEKS = 8;
export const RESPONSE_DAYS = 30;

const utc = (d: Date) => new Date(d.getTime());

export function localDate(d: Date, tz: string): string {
	const z = new TZDate(d.getTime(), tz);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${z.getFullYear()}-${p(z.getMonth() + 1)}-${p(z.getDate())}`;
}

export function boundaries(now: Date, tz: string): Boundaries {
	const local = new TZDate(now.getTime(), tz);
	const today = startOfDay(local);
	const week = startOfISOWeek(local);
	const responseFrom = addDays(today, -(RESPONSE_DAYS - 1));
	const responseDays: string[] = [];
	for (let i = 0; i < RESPONSE_DAYS; i++) responseDays.push(localDate(addDays(responseFrom, i), tz));
	const isoDay = local.getDay() === 0 ? 7 : local.getDay();
	return {
		now: utc(now),
		todayStart: utc(today),
		usualFrom: utc(addDays(today, -7 * USUAL_WEEKS)),
		isoWeekday: isoDay,
		responseFrom: utc(responseFrom),
		responseDays,
		weekStart: utc(week),
		lastWeekStart: utc(addDays(week, -7)),
		lastWeekNow: utc(addDays(local, -7))
	};
}

export { chTime, isoOut } from '../store/time.ts';

const HOUR_MS = 3_600_000;

/**
 * The zone's UTC offset in minutes at an instant, remembered per UTC hour: asking Intl for every arrival
 * of a replay costs more than the replay's arithmetic. A transition inside an hour (rare: most zones
 * change on whole UTC hours) is seen from the start of that hour.
 */
export function hourlyOffsetMinutes(tz: string): (ms: number) => number {
	const cache = new Map<number, number>();
	return (ms) => {
		const hour = Math.floor(ms / HOUR_MS);
		let minutes = cache.get(hour);
		if (minutes === undefined) {
			if (cache.size >= 20_000) cache.clear();
			minutes = tzOffset(tz, new Date(hour * HOUR_MS));
			cache.set(hour, minutes);
		}
		return minutes;
	};
}
