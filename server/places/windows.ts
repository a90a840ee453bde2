/**
 * The repeat window of each category as bound query parameters: SQL picks a row's window with
 * `transform(category, {w_cats}, {w_days}, {w_def})`, so a city pack's per-category windows need no SQL text.
 */
import type { CategoryInfo } from '../../src/lib/contract/city.ts';
import { DEFAULT_REPEAT_WINDOW_DAYS } from '../city/pack.ts';

export interface RepeatWindows {
	w_cats: string[];
	w_days: number[];
	w_def: number;
	/** The longest window: how far back a predecessor can lie. */
	w_max: number;
}

/** From the city pack's categories (the pack fills each one's window); other codes get the default. */
export function repeatWindows(city: { categories: readonly Pick<CategoryInfo, 'code' | 'repeat_window_days'>[] }): RepeatWindows {
	const w_cats = city.categories.map((c) => c.code);
	const w_days = city.categories.map((c) => c.repeat_window_days ?? DEFAULT_REPEAT_WINDOW_DAYS);
	const w_def = DEFAULT_REPEAT_WINDOW_DAYS;
	return { w_cats, w_days, w_def, w_max: Math.max(w_def, ...w_days) };
}

/** Every category 30 days: for callers without a city pack (tests, benchmarks). */
export const DEFAULT_REPEAT_WINDOWS: RepeatWindows = { w_cats: [], w_days: [], w_def: 30, w_max: 30 };

/** The SQL expression of a row's window in days (needs the parameters above). */
export const WINDOW_DAYS = `transform(category, {w_cats:Array(String)}, {w_days:Array(UInt16)}, {w_def:UInt16})`;

/** Keys that never match another incident: not computed yet ('') or nowhere ('-'). */
export const HAS_PLACE = `place_key NOT IN ('', '-')`;
