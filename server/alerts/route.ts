/**
 * Which contact points an alert goes to (the alerts file's routes), and when: outside the city's working
 * calendar a non-urgent alert waits for the morning digest. Pure functions of the file, the alert and time.
 */
import type { WorkingCalendar } from '../city/calendar.ts';
import { nextDate } from '../city/calendar.ts';
import type { AlertsFile, AlertRoute } from './config.ts';
import type { Alert, PlannedDelivery } from './model.ts';

function matches(r: AlertRoute, a: Alert): boolean {
	const m = r.match;
	if (m.events && (a.event === 'test' || !m.events.includes(a.event))) return false;
	const ds = [...(m.district ? [m.district] : []), ...(m.districts ?? [])];
	// A city-wide surge concerns every district; a system alert concerns none.
	if (ds.length > 0 && !a.city_wide && !a.districts.some((d) => ds.includes(d))) return false;
	const cs = [...(m.category ? [m.category] : []), ...(m.categories ?? [])];
	if (cs.length > 0 && (a.category === null || !cs.includes(a.category))) return false;
	if (m.min_severity !== undefined && a.severity < m.min_severity) return false;
	return true;
}

/** Contact names for an alert, each once, in the order the routes name them. */
export function contactsFor(file: AlertsFile, a: Alert): string[] {
	const out: string[] = [];
	for (const r of file.routes) if (matches(r, a)) for (const c of r.contacts) if (!out.includes(c)) out.push(c);
	return out;
}

/** True outside the working window of the city's calendar (nights, weekends, public holidays). */
export function isQuiet(at: Date, cal: WorkingCalendar): boolean {
	const day = cal.localDate(at);
	const win = cal.workingWindow(day);
	if (!win) return true;
	const t = at.getTime();
	return t < cal.localToUtc(day, win[0]).getTime() || t >= cal.localToUtc(day, win[1]).getTime();
}

/** The next digest instant after `at`: `digestAt` (HH:MM, city time) of the next working day. */
export function nextDigest(at: Date, cal: WorkingCalendar, digestAt: string): Date {
	const [h, m] = digestAt.split(':').map(Number) as [number, number];
	const ms = (h * 60 + m) * 60_000;
	let day = cal.localDate(at);
	for (let i = 0; i < 60; i++) {
		if (cal.isWorkingDay(day)) {
			const t = cal.localToUtc(day, ms);
			if (t.getTime() > at.getTime()) return t;
		}
		day = nextDate(day);
	}
	return new Date(at.getTime() + 86_400_000);
}

/** Plans an alert's deliveries: now, or at the digest when quiet hours hold it back. */
export function plan(file: AlertsFile, a: Alert, at: Date, cal: WorkingCalendar, only?: string[]): PlannedDelivery[] {
	const contacts = only ?? contactsFor(file, a);
	const hold = file.options.quiet_hours && !a.urgent && a.event !== 'test' && isQuiet(at, cal);
	const due = hold ? nextDigest(at, cal, file.options.digest_at) : at;
	return contacts.map((contact) => ({ contact, due_at: due.toISOString(), digest: hold }));
}
