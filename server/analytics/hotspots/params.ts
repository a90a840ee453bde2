/**
 * Structure of the hotspot detector, in one place. No alarm threshold lives here: the thresholds come
 * from the city's own history (calibrate.ts) for the false-alarm budget of the config. What is here is
 * the shape of the search (zones, windows) and of the product (what a hotspot's lifecycle is), not a
 * number fitted to simulated data.
 */
export interface HotspotParams {
	/** Zones are a res-9 cell with its ring-1 neighbours: 7 cells, about a 500 m disc. */
	ring: number;
	/** Windows ending now, in hours. */
	windowsH: readonly number[];
	/** No local alarm below this many distinct posts in the zone and window (a floor, not a fit). */
	minCount: number;
	/** Windows of the surge scan over districts and the city, in hours. */
	surgeWindowsH: readonly number[];
	/** No surge below this many distinct posts in the area and window. */
	surgeMinCount: number;
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
	/** … a surge after this long: a city snowed in for a day must not flap between closed and opened. */
	surgeCloseAfterMin: number;
	/** An open hotspot escalates when its count grows by this many since its last alert. */
	escalateBy: number;
	/** False-alarm episodes a week allowed, city-wide, both kinds together (MCU_HOTSPOT_FALSE_ALARMS_PER_WEEK). */
	falseAlarmsPerWeek: number;
	/** History replayed by the calibration, at most (days). */
	calibrationDays: number;
	/** While the store holds less history than this, the budget is scaled down in proportion (cold start). */
	coldStartDays: number;
}

export const HOTSPOT_PARAMS: HotspotParams = {
	ring: 1,
	windowsH: [1, 3, 6, 24],
	minCount: 4,
	surgeWindowsH: [3, 6, 12, 24],
	surgeMinCount: 8,
	shrinkage: 1,
	smoothRing: 2,
	floorPerYear: 1,
	spatialDays: 365,
	categoryDays: 28,
	closeAfterMin: 60,
	surgeCloseAfterMin: 180,
	escalateBy: 3,
	falseAlarmsPerWeek: 1,
	calibrationDays: 56,
	coldStartDays: 28
};

/** The alarm thresholds on the EBP log-likelihood ratio, one per kind, as calibration chose them. */
export interface Thresholds {
	local: number;
	surge: number;
}
