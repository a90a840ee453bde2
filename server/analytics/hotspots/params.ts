/**
 * Tuning of the hotspot detector, in one place. The threshold comes from the detection benchmark
 * (`tests/bench/analytics-detection.ts`): on an overdispersed simulated control year (bad days per
 * district and category, harsher than Poisson) LLR 8 gives 0.2 false-alarm episodes a week, 14 gives
 * 0.06 and 16 none; 16 keeps that margin and still finds every injected cluster of 5 (see
 * server/analytics/README.md for the figures).
 */
export interface HotspotParams {
	/** Zones are a res-9 cell with its ring-1 neighbours: 7 cells, about a 500 m disc. */
	ring: number;
	/** Windows ending now, in hours. */
	windowsH: readonly number[];
	/** No alarm below this many incidents in the zone and window. */
	minCount: number;
	/** … nor with fewer distinct addresses (a missing address counts as its own). */
	minAddresses: number;
	/** Expectation-based Poisson log-likelihood ratio needed to open a hotspot. */
	threshold: number;
	/** Gamma–Poisson shrinkage of a cell's count toward the mean of its ring-2 neighbourhood. */
	shrinkage: number;
	smoothRing: number;
	/** A cell is never expected to see fewer than this many incidents a year. */
	floorPerYear: number;
	/** History behind the spatial shares and the hour-of-week shape. */
	spatialDays: number;
	/** Recent history behind the city-wide rate of each category (follows the season). */
	categoryDays: number;
	/** An open hotspot not detected for this long is closed. */
	closeAfterMin: number;
	/** An open hotspot escalates when its count grows by this many since its last alert. */
	escalateBy: number;
}

export const HOTSPOT_PARAMS: HotspotParams = {
	ring: 1,
	windowsH: [1, 3, 6, 24],
	minCount: 4,
	minAddresses: 2,
	threshold: 16,
	shrinkage: 1,
	smoothRing: 2,
	floorPerYear: 1,
	spatialDays: 365,
	categoryDays: 28,
	closeAfterMin: 60,
	escalateBy: 3
};
