/**
 * Expected counts for a zone, category and window: μ = Σ_cells s_i · R_c · ∫ w(t) dt.
 * - s_i: the cell's share of all incidents over the spatial history, shrunk toward its ring-2
 *   neighbourhood (λ = (n + κ·m_ring)/(1 + κ)) and floored, so a quiet cell is not "expected zero".
 * - R_c: the city-wide hourly rate of category c over the recent weeks (follows the season).
 * - w: the 168-bin hour-of-week shape (mean 1) of all incidents, lightly smoothed toward flat.
 * For surges, an area (a district, or the city: null) gets the share of the category that falls in it:
 * (n_cd + 5·s_d)/(n_c + 5), five incidents' worth of prior toward the district's share of everything.
 * Pure: built from aggregates that SQL (live) or a replay (benchmark) computes from past data only.
 */
import { gridDisk } from 'h3-js';
import type { HotspotParams } from './params.ts';

export interface BaselineInput {
	/** Incidents per res-9 cell over the spatial history (all categories). */
	cellCounts: ReadonlyMap<string, number>;
	/** Length of that history in days (shorter than params.spatialDays on a young store). */
	spatialDays: number;
	/** Incidents per category over the recent history, and its length in hours. */
	categoryCounts: ReadonlyMap<string, number>;
	categoryHours: number;
	/** 168 counts, index (ISO weekday − 1)·24 + local hour. */
	hourOfWeek: readonly number[];
	/** Incidents per `district|category` over the spatial history, located or not (for surges). */
	areaCounts?: ReadonlyMap<string, number>;
}

const AREA_PRIOR = 5;

const HOUR = 3_600_000;
const WEEK_H = 168;

export class Baseline {
	private readonly share = new Map<string, number>();
	private readonly areaCache = new Map<string, number>();
	private readonly total: number;
	private readonly floor: number;
	/** cumulative[h] = ∫ shape over week hours [0, h); cumulative[168] = 168. */
	private readonly cumulative: number[];

	constructor(
		private readonly input: BaselineInput,
		private readonly params: HotspotParams,
		/** The city's UTC offset in minutes at an instant (fixed +420 for Barnaul). */
		private readonly offsetMin: (ms: number) => number
	) {
		let total = 0;
		for (const n of input.cellCounts.values()) total += n;
		this.total = Math.max(total, 1);
		this.floor = (params.floorPerYear * Math.max(input.spatialDays, 1)) / 365;
		const sum = input.hourOfWeek.reduce((a, b) => a + b, 0);
		const mean = sum / WEEK_H;
		// Toward flat by one "average hour" of pseudo-counts: an empty history gives a flat shape.
		const shape = Array.from({ length: WEEK_H }, (_, h) => ((input.hourOfWeek[h] ?? 0) + Math.max(mean, 1)) / (mean + Math.max(mean, 1)));
		this.cumulative = [0];
		for (let h = 0; h < WEEK_H; h++) this.cumulative.push(this.cumulative[h]! + shape[h]!);
	}

	/** The aggregates it was built from (a calibration in a worker thread rebuilds it from them). */
	get aggregates(): BaselineInput {
		return this.input;
	}

	/** The same baseline with other city-wide category rates (a replay moving through the weeks). */
	withCategoryCounts(categoryCounts: ReadonlyMap<string, number>, categoryHours: number): Baseline {
		return new Baseline({ ...this.input, categoryCounts, categoryHours }, this.params, this.offsetMin);
	}

	/** Smoothed share of all incidents that falls in the cell. */
	cellShare(cell: string): number {
		const cached = this.share.get(cell);
		if (cached !== undefined) return cached;
		const counts = this.input.cellCounts;
		const ring = gridDisk(cell, this.params.smoothRing);
		let ringSum = 0;
		for (const c of ring) ringSum += counts.get(c) ?? 0;
		const k = this.params.shrinkage;
		const own = counts.get(cell) ?? 0;
		const lambda = Math.max((own + (k * ringSum) / ring.length) / (1 + k), this.floor);
		const s = lambda / this.total;
		this.share.set(cell, s);
		return s;
	}

	/** City-wide incidents of the category per hour. Half a pseudo-count keeps a new category above zero. */
	categoryRate(category: string): number {
		return ((this.input.categoryCounts.get(category) ?? 0) + 0.5) / Math.max(this.input.categoryHours, 1);
	}

	/** ∫ of the hour-of-week shape over [from, to) (ms); equals the hours for a flat shape. */
	shapeHours(from: number, to: number): number {
		const offset = this.offsetMin(to) * 60_000;
		// Hour 0 of the week is local Monday 00:00; 1970-01-01 was a Thursday (index 72).
		const weekPos = (ms: number) => (((ms + offset) / HOUR + 72) % WEEK_H + WEEK_H) % WEEK_H;
		const at = (pos: number) => {
			const h = Math.floor(pos);
			return this.cumulative[h]! + (pos - h) * (this.cumulative[h + 1]! - this.cumulative[h]!);
		};
		const span = (to - from) / HOUR;
		const weeks = Math.floor(span / WEEK_H);
		const a = weekPos(from);
		const b = weekPos(to);
		const rest = b >= a ? at(b) - at(a) : WEEK_H - at(a) + at(b);
		return weeks * WEEK_H + rest;
	}

	/** Share of category c's incidents that falls in the district (1 for the city). */
	areaShare(district: string | null, category: string): number {
		if (district === null) return 1;
		const hit = this.areaCache.get(`${district}|${category}`);
		if (hit !== undefined) return hit;
		const counts = this.input.areaCounts ?? new Map<string, number>();
		let all = 0;
		let inDistrict = 0;
		let ofCategory = 0;
		let both = 0;
		for (const [key, n] of counts) {
			const bar = key.lastIndexOf('|');
			const d = key.slice(0, bar);
			const c = key.slice(bar + 1);
			all += n;
			if (d === district) inDistrict += n;
			if (c === category) ofCategory += n;
			if (d === district && c === category) both += n;
		}
		const prior = all > 0 ? inDistrict / all : 0;
		const share = (both + AREA_PRIOR * prior) / (ofCategory + AREA_PRIOR);
		if (this.areaCache.size < 10_000) this.areaCache.set(`${district}|${category}`, share);
		return share;
	}

	/** Expected incidents of the category in an area over [from, to). */
	areaExpected(district: string | null, category: string, from: number, to: number): number {
		return this.areaShare(district, category) * this.categoryRate(category) * this.shapeHours(from, to);
	}

	expected(cells: readonly string[], category: string, from: number, to: number): number {
		let s = 0;
		for (const c of cells) s += this.cellShare(c);
		return s * this.categoryRate(category) * this.shapeHours(from, to);
	}
}
