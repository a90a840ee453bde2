/**
 * The simulator's calibration: Barnaul received 11 032 incidents from open sources in 2023; public
 * reports of Russian regional control centres give ~80% of signals via VK, a first answer in 3–4 h and
 * deadlines of 8–9 working hours. The rhythms below are plausible shapes, not measured Barnaul data.
 */
import type { Source } from '../../src/lib/contract/incident.ts';

export const INCIDENTS_PER_YEAR = 11_000;

/** Relative intensity by local hour: quiet at night, a late-morning peak and a larger evening one. */
export const HOURLY = [
	0.8, 0.5, 0.35, 0.3, 0.3, 0.45, 1.0, 2.0, 3.2, 4.2, 5.0, 5.2, 4.8, 4.4, 4.3, 4.4, 4.6, 4.9, 5.2, 5.6, 5.8, 5.0, 3.4, 1.8
];

/** Relative intensity by weekday (0 = Sunday): Mondays carry the weekend's backlog. */
export const WEEKDAY = [0.84, 1.16, 1.08, 1.05, 1.03, 0.98, 0.86];

/** Relative intensity by month (0 = January): winter (heating, snow) and the spring thaw are busier. */
export const MONTHLY = [1.15, 1.1, 1.12, 1.05, 0.95, 0.9, 0.88, 0.9, 0.92, 1.0, 1.05, 1.12];

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const HOURLY_MEAN = mean(HOURLY);
const WEEKDAY_MEAN = mean(WEEKDAY);
const MONTHLY_MEAN = mean(MONTHLY);

/** Expected incidents per day for a local weekday and month. */
export function expectedPerDay(weekday: number, month: number, perYear = INCIDENTS_PER_YEAR): number {
	return (perYear / 365.25) * (WEEKDAY[weekday]! / WEEKDAY_MEAN) * (MONTHLY[month]! / MONTHLY_MEAN);
}

/** Expected incidents per hour at a local weekday, month and hour. */
export function expectedPerHour(weekday: number, month: number, hour: number, perYear = INCIDENTS_PER_YEAR): number {
	return (expectedPerDay(weekday, month, perYear) / 24) * (HOURLY[hour]! / HOURLY_MEAN);
}

/**
 * Category weights per month (12 values, January first): heating and snow in winter, roads and yards
 * in spring and summer, water all year (more in summer, when hot water is shut off for repairs).
 */
export const CATEGORY_BY_MONTH: Record<string, readonly number[]> = {
	heating: [16, 14, 10, 5, 1, 0.5, 0.5, 1, 4, 10, 14, 16],
	snow: [18, 16, 14, 3, 0, 0, 0, 0, 0, 2, 14, 18],
	roads: [5, 5, 8, 16, 16, 14, 13, 12, 11, 9, 6, 5],
	yard: [3, 3, 4, 10, 14, 14, 14, 14, 12, 7, 4, 3],
	water: [9, 9, 9, 10, 11, 13, 13, 12, 10, 9, 9, 9],
	housing: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
	lighting: [7, 6, 5, 4, 3, 3, 3, 3, 4, 5, 6, 7],
	waste: [5, 5, 6, 8, 8, 8, 8, 8, 7, 6, 5, 5],
	transport: [7, 7, 7, 7, 7, 6, 6, 6, 7, 7, 7, 7],
	health: [4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4],
	education: [2, 2, 2, 2, 2, 1, 1, 3, 4, 2, 2, 2],
	social: [2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5],
	ecology: [2, 2, 3, 5, 5, 5, 5, 4, 3, 3, 2, 2],
	safety: [2.5, 2.5, 2.5, 2.5, 2.5, 3, 3, 3, 2.5, 2.5, 2.5, 2.5],
	other: [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]
};

/** Category weights for one month, restricted to the city's configured categories. */
export function categoryWeights(month: number, codes: ReadonlySet<string>): Map<string, number> {
	const out = new Map<string, number>();
	for (const code of codes) out.set(code, CATEGORY_BY_MONTH[code]?.[month] ?? 2);
	return out;
}

export const SOURCE_SHARES: Record<Exclude<Source, 'phone' | 'other'>, number> = {
	vk: 0.8,
	ok: 0.06,
	telegram: 0.06,
	feedback_platform: 0.04,
	forum: 0.02,
	media: 0.02
};

export const SEVERITY_SHARES: Record<string, number> = { '1': 0.15, '2': 0.5, '3': 0.25, '4': 0.08, '5': 0.02 };

/** Share of incidents that carry no location (a post without an address). */
export const NO_LOCATION_SHARE = 0.02;

/** The life of an incident (status events). Working-hour figures count in the city's calendar. */
export const LIFECYCLE = {
	assignedShare: 0.95,
	/** Working hours from creation to assignment (median, log-sigma). */
	assignMedianH: 0.3,
	assignSigma: 0.8,
	respondedIfAssigned: 0.985,
	respondedIfNotAssigned: 0.7,
	/** Working hours to the first response; urgent ones (severity 4–5) go twice as fast. */
	responseMedianH: 3.6,
	urgentResponseMedianH: 1.8,
	responseSigma: 0.5,
	resolvedShare: 0.75,
	/** Calendar days from the response to resolution. */
	resolveMedianDays: 3,
	resolveSigma: 0.8,
	reopenedShare: 0.05,
	reopenMedianDays: 2,
	resolvedAgainShare: 0.7
} as const;
