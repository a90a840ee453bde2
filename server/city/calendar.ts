/**
 * The working-hours calendar that response deadlines are counted in: Mon–Fri 09:00–18:00 city time,
 * public holidays and moved days off from the production calendar, Saturdays made working days,
 * pre-holiday days one hour shorter. Years missing from the data fall back to the statutory
 * holidays (Labour Code art. 112) without moved days, so a deadline is never left uncomputed.
 */

export interface CalendarYear {
	holidays: string[];
	extra_days_off: string[];
	working_weekends: string[];
	short_days: string[];
}

export interface CalendarData {
	years: Record<string, CalendarYear>;
}

export interface WorkingHours {
	/** Minutes after local midnight. */
	startMin: number;
	endMin: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const STATUTORY = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04'];

type DayKind = 'off' | 'short' | 'full';

export class WorkingCalendar {
	private readonly off = new Set<string>();
	private readonly working = new Set<string>();
	private readonly short = new Set<string>();
	private readonly years: ReadonlySet<number>;
	private readonly fmt: Intl.DateTimeFormat;
	/** UTC offset per UTC hour: Intl is slow and the offset only changes on the hour (if ever). */
	private readonly offsetCache = new Map<number, number>();

	constructor(
		data: CalendarData,
		readonly tz: string,
		private readonly hours: WorkingHours = { startMin: 9 * 60, endMin: 18 * 60 }
	) {
		for (const y of Object.values(data.years)) {
			for (const d of [...y.holidays, ...y.extra_days_off]) this.off.add(d);
			for (const d of y.working_weekends) this.working.add(d);
			for (const d of y.short_days) this.short.add(d);
		}
		this.years = new Set(Object.keys(data.years).map(Number));
		this.fmt = new Intl.DateTimeFormat('en-US', {
			timeZone: tz,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric'
		});
	}

	/** Milliseconds to add to a UTC instant to get the city's wall-clock time. */
	offsetMs(t: number): number {
		const key = Math.floor(t / HOUR_MS);
		let off = this.offsetCache.get(key);
		if (off === undefined) {
			const p: Record<string, number> = {};
			for (const part of this.fmt.formatToParts(new Date(key * HOUR_MS))) p[part.type] = Number(part.value);
			off = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - key * HOUR_MS;
			this.offsetCache.set(key, off);
		}
		return off;
	}

	/** The local calendar date (YYYY-MM-DD) of an instant. */
	localDate(at: Date): string {
		return new Date(at.getTime() + this.offsetMs(at.getTime())).toISOString().slice(0, 10);
	}

	/** The UTC instant of a local wall-clock time: `localDayStartUtc` + ms after local midnight. */
	localToUtc(localDate: string, msOfDay: number): Date {
		const wall = Date.parse(`${localDate}T00:00:00Z`) + msOfDay;
		// Two passes settle the offset even across a DST change (Barnaul has none since 2016).
		let t = wall - this.offsetMs(wall);
		t = wall - this.offsetMs(t);
		return new Date(t);
	}

	private kind(localDate: string): DayKind {
		if (this.working.has(localDate)) return this.short.has(localDate) ? 'short' : 'full';
		if (this.off.has(localDate)) return 'off';
		const year = Number(localDate.slice(0, 4));
		if (!this.years.has(year) && STATUTORY.includes(localDate.slice(5))) return 'off';
		const dow = new Date(`${localDate}T00:00:00Z`).getUTCDay();
		if (dow === 0 || dow === 6) return 'off';
		return this.short.has(localDate) ? 'short' : 'full';
	}

	isWorkingDay(localDate: string): boolean {
		return this.kind(localDate) !== 'off';
	}

	isShortDay(localDate: string): boolean {
		return this.kind(localDate) === 'short';
	}

	/** The working window of a local date in ms after local midnight, or null on a day off. */
	workingWindow(localDate: string): [number, number] | null {
		const k = this.kind(localDate);
		if (k === 'off') return null;
		const end = this.hours.endMin - (k === 'short' ? 60 : 0);
		return [this.hours.startMin * 60_000, end * 60_000];
	}

	/** The instant when `hours` working hours have passed after `from` (from inside off-time: from the next opening). */
	addWorkingHours(from: Date, hours: number): Date {
		let remaining = Math.max(0, hours) * HOUR_MS;
		const t0 = from.getTime();
		const wall0 = t0 + this.offsetMs(t0);
		let day = new Date(wall0 - (wall0 % DAY_MS)).toISOString().slice(0, 10);
		let pos = wall0 % DAY_MS;
		// Ten years of days off in a row would mean broken data, not a long deadline.
		for (let guard = 0; guard < 3660; guard++) {
			const win = this.workingWindow(day);
			if (win) {
				const s = Math.max(pos, win[0]);
				if (s < win[1]) {
					if (remaining <= win[1] - s) return this.localToUtc(day, s + remaining);
					remaining -= win[1] - s;
				}
			}
			day = nextDate(day);
			pos = 0;
		}
		throw new Error('addWorkingHours: no working time found within ten years');
	}

	/** Working minutes between two instants (0 when b is not after a). */
	workingMinutesBetween(a: Date, b: Date): number {
		const ta = a.getTime();
		const tb = b.getTime();
		if (tb <= ta) return 0;
		let day = this.localDate(a);
		const last = this.localDate(b);
		let total = 0;
		for (;;) {
			const win = this.workingWindow(day);
			if (win) {
				const s = Math.max(ta, this.localToUtc(day, win[0]).getTime());
				const e = Math.min(tb, this.localToUtc(day, win[1]).getTime());
				if (e > s) total += e - s;
			}
			if (day >= last) break;
			day = nextDate(day);
		}
		return total / 60_000;
	}
}

export function nextDate(localDate: string): string {
	return new Date(Date.parse(`${localDate}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}
