/**
 * What the report pages (`/print/…`, `/reports`) get from the running report service. Set once by the
 * aggregator; on `globalThis` because the built SvelteKit server is a separate bundle from the
 * aggregator's modules (the same reason as `$lib/server/context`).
 */
import type { CityPublic } from '../contract/city';
import type { ReportData, ReportMeta } from '../contract/reports';
import type { Scope } from '../contract/roles';

export interface ReportPages {
	city: CityPublic;
	tz: string;
	/** Archive entries a reader of `scope` may see, newest week first. */
	list(scope: Scope): ReportMeta[];
	data(id: string): ReportData | null;
	/** Queues the report of a finished week; returns its id. Throws with a message for a bad week. */
	request(week: string): string;
	/** True when `exp`/`sig` is a live print ticket for report `id` (made for the headless browser). */
	verifyTicket(id: string, exp: string | null, sig: string | null): boolean;
}

const KEY = Symbol.for('mcu-pulse.report-pages');

export function setReportPages(pages: ReportPages | null): void {
	(globalThis as Record<symbol, unknown>)[KEY] = pages;
}

export function getReportPages(): ReportPages | null {
	return ((globalThis as Record<symbol, unknown>)[KEY] as ReportPages | null | undefined) ?? null;
}
