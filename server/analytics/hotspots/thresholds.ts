/**
 * From the exceedances a replay of the city's history produced to a threshold for a false-alarm
 * budget. Pure, so the rule can be checked with hand-worked numbers.
 * - An exceedance is a (time, place, category, score) the detector would have seen; those of one
 *   category within 24 h of an episode's first and at the same place (`samePlace`) are one episode,
 *   as an operator would see one alarm.
 * - The rate at τ is (k(τ) + 1) / W: k episodes scoring ≥ τ in W replayed weeks, plus the one the
 *   replay was too short to show — conservative for a short replay.
 * - τ is the smallest grid value whose rate is within the budget. When even no episode at all is too
 *   many for the budget (1 / W > budget: a short history), τ is raised beyond the largest score seen
 *   by ln(1 / (budget · W)): for a Poisson count P(LLR ≥ τ) ≤ e^(−τ) (Chernoff), so every unit of
 *   LLR cuts the rate by a factor e at least.
 */
export interface Exceedance {
	t: number;
	category: string;
	/** Where: a cell or an area code; `samePlace` decides what is one place. */
	place: string;
	score: number;
}

export interface ThresholdChoice {
	threshold: number;
	/** Episodes at that threshold over the replay, and the rate per week used. */
	episodes: number;
	ratePerWeek: number;
	/** True when the replay was too short and the threshold was extrapolated beyond its largest score. */
	extrapolated: boolean;
}

const DAY = 86_400_000;

export function countEpisodes(ex: readonly Exceedance[], tau: number, samePlace: (a: string, b: string) => boolean): number {
	const heads: Exceedance[] = [];
	for (const e of ex) {
		if (e.score < tau) continue;
		const same = heads.some((h) => h.category === e.category && e.t - h.t <= DAY && e.t >= h.t && samePlace(h.place, e.place));
		if (!same) heads.push(e);
	}
	return heads.length;
}

/** Thresholds tried: every quarter unit of LLR from `floor`, up to the largest score seen. */
export function chooseThreshold(
	exceedances: readonly Exceedance[],
	weeks: number,
	budgetPerWeek: number,
	floor: number,
	samePlace: (a: string, b: string) => boolean
): ThresholdChoice {
	const ex = [...exceedances].sort((a, b) => a.t - b.t);
	const top = ex.reduce((m, e) => Math.max(m, e.score), floor);
	const w = Math.max(weeks, 1e-6);
	for (let tau = floor; tau <= top + 0.25; tau += 0.25) {
		const k = countEpisodes(ex, tau, samePlace);
		const rate = (k + 1) / w;
		if (rate <= budgetPerWeek) return { threshold: tau, episodes: k, ratePerWeek: rate, extrapolated: false };
	}
	// no episode above `top` and still 1/W > budget: extrapolate with the Chernoff bound
	const zero = Math.ceil((top + 1e-9) * 4) / 4;
	const threshold = Math.round((zero + Math.log(1 / (budgetPerWeek * w))) * 100) / 100;
	return { threshold, episodes: 0, ratePerWeek: budgetPerWeek, extrapolated: true };
}
