/** Russian number formatting: thin spaces between thousands, a decimal comma, plural forms. */

const integer = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat('ru-RU', { style: 'percent', maximumFractionDigits: 0 });

/** An em dash stands for a value the server could not compute (no data yet). */
export const NO_VALUE = '—';

export function formatInt(n: number | null | undefined): string {
	return n === null || n === undefined || !Number.isFinite(n) ? NO_VALUE : integer.format(n);
}

export function formatDecimal(n: number | null | undefined): string {
	return n === null || n === undefined || !Number.isFinite(n) ? NO_VALUE : oneDecimal.format(n);
}

export function formatShare(share: number | null | undefined): string {
	return share === null || share === undefined || !Number.isFinite(share) ? NO_VALUE : percent.format(share);
}

/** Picks the Russian plural form: [1 жалоба, 2 жалобы, 5 жалоб]. */
export function plural(n: number, forms: readonly [string, string, string]): string {
	const abs = Math.abs(Math.trunc(n));
	const mod10 = abs % 10;
	const mod100 = abs % 100;
	if (mod10 === 1 && mod100 !== 11) return forms[0];
	if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return forms[1];
	return forms[2];
}

/** Minutes for a big tile: «45 мин», «1,7 ч», «3 дн» (short enough for a 6-tile row). */
export function formatMinutesShort(min: number | null | undefined): string {
	if (min === null || min === undefined || !Number.isFinite(min)) return NO_VALUE;
	const m = Math.max(0, Math.round(min));
	if (m < 100) return `${m} мин`;
	if (m < 48 * 60) return `${oneDecimal.format(m / 60)} ч`;
	return `${Math.round(m / 1440)} дн`;
}

/** A small expected count: «0,4», and «менее 0,1» rather than a misleading «0». */
export function formatExpected(n: number): string {
	return n > 0 && n < 0.05 ? 'менее 0,1' : formatDecimal(n);
}

/** Minutes as «45 мин» or «3 ч 05 мин»; long spans as days. */
export function formatMinutes(min: number | null | undefined): string {
	if (min === null || min === undefined || !Number.isFinite(min)) return NO_VALUE;
	const m = Math.max(0, Math.round(min));
	if (m < 60) return `${m} мин`;
	const h = Math.floor(m / 60);
	if (h < 48) return `${h} ч ${String(m % 60).padStart(2, '0')} мин`;
	return `${Math.round(h / 24)} дн`;
}
