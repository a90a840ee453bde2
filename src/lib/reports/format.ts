/** Report-specific wording: week-over-week changes and the week's dates, in Russian. */

const MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const pct = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0, signDisplay: 'exceptZero' });

/** «+200 %», «−15 %», «0 %»; «новое» when last week had none, «—» when neither had any. */
export function weekChange(thisWeek: number, lastWeek: number): string {
	if (lastWeek === 0) return thisWeek === 0 ? '—' : 'новое';
	return `${pct.format(((thisWeek - lastWeek) / lastWeek) * 100)}\u00a0%`;
}

/** The sign of a change, for colouring: more incidents is worse. */
export function changeTone(thisWeek: number, lastWeek: number): 'up' | 'down' | 'flat' {
	return thisWeek > lastWeek ? 'up' : thisWeek < lastWeek ? 'down' : 'flat';
}

/** «4–10 марта 2024», «26 февраля – 3 марта 2024», «30 декабря 2024 – 5 января 2025» from local dates. */
export function weekRange(from: string, to: string): string {
	const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number];
	const [ty, tm, td] = to.split('-').map(Number) as [number, number, number];
	if (fy !== ty) return `${fd} ${MONTHS[fm - 1]} ${fy} – ${td} ${MONTHS[tm - 1]} ${ty}`;
	if (fm !== tm) return `${fd} ${MONTHS[fm - 1]} – ${td} ${MONTHS[tm - 1]} ${ty}`;
	return `${fd}–${td} ${MONTHS[tm - 1]} ${ty}`;
}

/** `2024-W10` as «10-я неделя 2024». */
export function weekTitle(week: string): string {
	const m = /^(\d{4})-W(\d{2})$/.exec(week);
	return m ? `${Number(m[2])}-я неделя ${m[1]}` : week;
}
