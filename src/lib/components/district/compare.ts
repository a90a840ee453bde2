/** The district's KPIs beside the city average, as plain rows the page renders. */
import type { DistrictStats, Kpis } from '../../contract/snapshot';
import type { CityAverage } from './types';
import { formatDecimal, formatInt, formatMinutes, formatShare } from '../../format/number';

export type Verdict = 'better' | 'worse' | 'same' | null;

export interface CompareTile {
	key: string;
	label: string;
	value: string;
	city: string;
	verdict: Verdict;
}

/** Better or worse than the city, with a ±10 % band counted as «same». */
export function verdictOf(value: number | null | undefined, city: number | null | undefined, moreIsGood: boolean): Verdict {
	if (value === null || value === undefined || city === null || city === undefined) return null;
	if (!Number.isFinite(value) || !Number.isFinite(city)) return null;
	const band = Math.max(Math.abs(city) * 0.1, moreIsGood ? 0.01 : 0.5);
	if (Math.abs(value - city) <= band) return 'same';
	return value > city === moreIsGood ? 'better' : 'worse';
}

export const VERDICT_LABELS: Record<Exclude<Verdict, null>, string> = { better: 'лучше города', worse: 'хуже города', same: 'как в городе' };

export function compareTiles(kpis: Kpis | null, stats: DistrictStats | undefined, avg: CityAverage): CompareTile[] {
	const t = (key: string, label: string, v: number | null | undefined, c: number | null, fmt: (n: number | null) => string, moreIsGood: boolean): CompareTile => ({
		key,
		label,
		value: fmt(v ?? null),
		city: fmt(c),
		verdict: verdictOf(v, c, moreIsGood)
	});
	// No-break spaces keep «24 ч», «7 дн» whole when a narrow tile wraps its title.
	const tiles = [
		t('today', 'Сегодня', kpis?.today, avg.today, formatInt, false),
		t('per_10k', 'На 10\u00a0тыс. жителей за\u00a024\u00a0ч', stats?.per_10k_24h, avg.per_10k_24h, formatDecimal, false),
		t('open', 'Без ответа', kpis?.open, avg.open, formatInt, false),
		t('overdue', 'Просрочено', kpis?.overdue, avg.overdue, formatInt, false),
		t('response_7d', 'Медиана первого ответа за\u00a07\u00a0дн', kpis?.median_response_min_7d, avg.median_response_min_7d, formatMinutes, false),
		t('sla', 'Ответ в срок за\u00a07\u00a0дн', kpis?.sla_share_7d, avg.sla_share_7d, formatShare, true)
	];
	// Only with outbound alerts (the field is absent otherwise) and once an alert went out somewhere.
	const mine = kpis?.alert_acceptance_7d;
	const city = avg.alert_acceptance_7d;
	if (mine || city) tiles.push(t('acceptance_7d', 'Принято в\u00a0работу, медиана за\u00a07\u00a0дн', mine?.median_min, city?.median_min ?? null, formatMinutes, false));
	return tiles;
}
