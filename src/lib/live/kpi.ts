/** KPI tiles as plain data: value, comparison line and trend arrow, for the city and for one district. */
import type { DistrictStats, Kpis, ResponseDay } from '../contract/snapshot';
import { formatDecimal, formatInt, formatMinutesShort, formatShare, NO_VALUE } from '../format/number';

export type Trend = 'up' | 'down' | 'flat';
export type Tone = 'good' | 'bad' | 'neutral';

export interface KpiTile {
	key: string;
	label: string;
	value: string;
	/** The comparison the arrow is about, e.g. «обычно 23». */
	note: string;
	trend: Trend | null;
	tone: Tone;
}

/** Direction of `value` against `reference`; within ±10 % (or less than `minStep`) is flat. */
export function trendOf(value: number | null, reference: number | null, minStep = 1): Trend | null {
	if (value === null || reference === null || !Number.isFinite(value) || !Number.isFinite(reference)) return null;
	const diff = value - reference;
	if (Math.abs(diff) < minStep || Math.abs(diff) <= Math.abs(reference) * 0.1) return 'flat';
	return diff > 0 ? 'up' : 'down';
}

/** Whether the arrow is good news: for counts and times more is bad, for the SLA share more is good. */
export function toneOf(trend: Trend | null, moreIsGood: boolean): Tone {
	if (trend === null || trend === 'flat') return 'neutral';
	return (trend === 'up') === moreIsGood ? 'good' : 'bad';
}

interface Sample {
	at: number;
	kpis: Kpis;
}

/**
 * Recent KPI values kept in the browser so that numbers without a «usual» in the contract (open, overdue,
 * SLA share) still get an arrow: against their value about an hour ago. Bounded by time and count.
 */
export class KpiHistory {
	private samples: Sample[] = [];

	constructor(
		private readonly windowMs = 60 * 60_000,
		private readonly max = 240
	) {}

	push(at: number, kpis: Kpis): void {
		const last = this.samples[this.samples.length - 1];
		// One sample a minute is enough for an hourly comparison.
		if (last && at - last.at < 60_000) this.samples[this.samples.length - 1] = { at: last.at, kpis };
		else this.samples.push({ at, kpis });
		while (this.samples.length > this.max || (this.samples[0] && at - this.samples[0].at > this.windowMs)) {
			this.samples.shift();
		}
	}

	get size(): number {
		return this.samples.length;
	}

	/** The oldest value within the window, once it is at least 10 minutes old. */
	reference(now: number): Kpis | null {
		const first = this.samples[0];
		return first && now - first.at >= 10 * 60_000 ? first.kpis : null;
	}
}

function median(xs: number[]): number | null {
	if (xs.length === 0) return null;
	const s = [...xs].sort((a, b) => a - b);
	const mid = s.length >> 1;
	return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The usual median response over the 30 days: the median of daily p50. */
export function usualResponse(days: readonly ResponseDay[]): number | null {
	return median(days.flatMap((d) => (d.p50_min === null ? [] : [d.p50_min])));
}

function tile(
	key: string,
	label: string,
	value: string,
	note: string,
	trend: Trend | null,
	moreIsGood: boolean
): KpiTile {
	return { key, label, value, note, trend, tone: toneOf(trend, moreIsGood) };
}

export function cityTiles(k: Kpis, days: readonly ResponseDay[], hourAgo: Kpis | null): KpiTile[] {
	const usual30 = usualResponse(days);
	const ago = (v: number | null, f: (n: number | null) => string) => (hourAgo ? `час назад ${f(v)}` : 'за час: —');
	return [
		tile('today', 'Сегодня', formatInt(k.today), `обычно ${formatDecimal(k.today_usual)}`, trendOf(k.today, k.today_usual), false),
		tile('open', 'Без ответа', formatInt(k.open), ago(hourAgo?.open ?? null, formatInt), trendOf(k.open, hourAgo?.open ?? null), false),
		tile('overdue', 'Просрочено', formatInt(k.overdue), ago(hourAgo?.overdue ?? null, formatInt), trendOf(k.overdue, hourAgo?.overdue ?? null), false),
		tile(
			'response_today',
			'Ответ сегодня',
			formatMinutesShort(k.median_response_min_today),
			`медиана; за 7 дн ${formatMinutesShort(k.median_response_min_7d)}`,
			trendOf(k.median_response_min_today, k.median_response_min_7d, 5),
			false
		),
		tile(
			'response_7d',
			'Ответ за 7 дн',
			formatMinutesShort(k.median_response_min_7d),
			`медиана; за 30 дн ${formatMinutesShort(usual30)}`,
			trendOf(k.median_response_min_7d, usual30, 5),
			false
		),
		tile(
			'sla',
			'В срок за 7 дн',
			formatShare(k.sla_share_7d),
			ago(hourAgo?.sla_share_7d ?? null, formatShare),
			trendOf(k.sla_share_7d, hourAgo?.sla_share_7d ?? null, 0.01),
			true
		)
	];
}

export function districtTiles(d: DistrictStats | undefined): KpiTile[] {
	if (!d) return [tile('none', 'Район', NO_VALUE, 'нет данных', null, false)];
	const tension = trendOf(d.tension, 1, 0.1);
	return [
		tile('today', 'Сегодня', formatInt(d.today), d.name, null, false),
		tile('last_24h', 'За 24 ч', formatInt(d.last_24h), 'обращений', null, false),
		tile('per_10k', 'На 10 тыс. жителей', formatDecimal(d.per_10k_24h), 'за 24 ч', null, false),
		tile('tension', 'Напряжённость', `×${formatDecimal(d.tension)}`, 'к обычному уровню района', tension, false),
		tile('open', 'Без ответа', formatInt(d.open), 'обращений', null, false),
		tile('overdue', 'Просрочено', formatInt(d.overdue), 'обращений', null, false)
	];
}
