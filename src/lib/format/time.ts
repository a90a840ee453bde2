/**
 * Times shown in the city's zone (the tz comes from the page data, never from the browser), Russian style.
 * Formatters are cached per zone: a wall formats thousands of times a minute.
 */

type Kind = 'clock' | 'hm' | 'day' | 'hour' | 'date';

const cache = new Map<string, Intl.DateTimeFormat>();

const OPTIONS: Record<Kind, Intl.DateTimeFormatOptions> = {
	clock: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
	hm: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
	hour: { hour: '2-digit', hourCycle: 'h23' },
	day: { day: '2-digit', month: '2-digit' },
	date: { weekday: 'long', day: 'numeric', month: 'long' }
};

function formatter(kind: Kind, tz: string): Intl.DateTimeFormat {
	const key = `${kind}|${tz}`;
	let f = cache.get(key);
	if (!f) {
		f = new Intl.DateTimeFormat('ru-RU', { ...OPTIONS[kind], timeZone: tz });
		cache.set(key, f);
	}
	return f;
}

function toDate(t: string | number | Date): Date {
	return t instanceof Date ? t : new Date(t);
}

/** «14:32:05» in the city's zone. */
export function formatClock(t: string | number | Date, tz: string): string {
	return formatter('clock', tz).format(toDate(t));
}

/** «14:32» in the city's zone. */
export function formatHm(t: string | number | Date, tz: string): string {
	return formatter('hm', tz).format(toDate(t));
}

/** «14:00» for the start of an hour in the city's zone. */
export function formatHour(t: string | number | Date, tz: string): string {
	return `${formatter('hour', tz).format(toDate(t))}:00`;
}

/** «вторник, 5 марта» in the city's zone. */
export function formatLongDate(t: string | number | Date, tz: string): string {
	return formatter('date', tz).format(toDate(t));
}

/** A city-local calendar day `YYYY-MM-DD` shown as «05.03» (no zone shift: it already is a local day). */
export function formatLocalDay(day: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
	return m ? `${m[3]}.${m[2]}` : day;
}

/** How long ago: «12 с», «5 мин», «2 ч 10 мин», «3 дн». Clock skew never shows a negative age. */
export function formatAge(ms: number): string {
	const s = Math.max(0, Math.floor(ms / 1000));
	if (s < 60) return `${s} с`;
	const m = Math.floor(s / 60);
	if (m < 60) return `${m} мин`;
	const h = Math.floor(m / 60);
	if (h < 24) return m % 60 === 0 ? `${h} ч` : `${h} ч ${m % 60} мин`;
	return `${Math.floor(h / 24)} дн`;
}

/** A span as a phrase after «за»: «за 40 мин», «за 3 ч». */
export function formatSpan(ms: number): string {
	const m = Math.max(1, Math.round(ms / 60_000));
	if (m < 90) return `за ${m} мин`;
	return `за ${Math.round(m / 60)} ч`;
}
