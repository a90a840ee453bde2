/** Words and numbers of chronic places, for every screen that shows them (Russian). */
import type { ChronicPlace, PlaceMonth } from '../contract/places';
import type { Labels } from '../format/labels';

/** «ул. Попова, 104а», or for a place known only by its location «район Индустриальный, точка без адреса». */
export function placeTitle(p: ChronicPlace, labels: Labels): string {
	if (p.address.trim()) return p.address.trim();
	return `${labels.districtFull(p.district)}: место без адреса`;
}

const dayFormat = new Map<string, Intl.DateTimeFormat>();

/** «12.03.2024» in the city's zone. */
export function placeDate(t: string, tz: string): string {
	let f = dayFormat.get(tz);
	if (!f) dayFormat.set(tz, (f = new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: tz })));
	return f.format(new Date(t));
}

/** The last `n` months ending with the latest one, zeros filled in: for a small bar history. */
export function monthBars(months: readonly PlaceMonth[], n = 12): { month: string; n: number }[] {
	if (months.length === 0) return [];
	const last = months[months.length - 1]!.month;
	const [y, m] = last.split('-').map(Number) as [number, number];
	const by = new Map(months.map((x) => [x.month, x.n]));
	const out: { month: string; n: number }[] = [];
	for (let i = n - 1; i >= 0; i--) {
		const d = new Date(Date.UTC(y, m - 1 - i, 1));
		const key = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
		out.push({ month: key, n: by.get(key) ?? 0 });
	}
	return out;
}
