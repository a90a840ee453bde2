/** The weekly report: its archive entry and the numbers its pages show (PRODUCT.md §3). */

export type ReportStatus = 'queued' | 'running' | 'done' | 'failed';

/** `meta.json` of one archived report; also what `GET /api/v1/reports` lists. */
export interface ReportMeta {
	id: string;
	/** ISO week in the city's zone, `YYYY-Www`. */
	week: string;
	/** Local dates (city zone) of the week's Monday and Sunday. */
	from: string;
	to: string;
	created_at: string;
	/** How the generation was asked for. */
	trigger: 'schedule' | 'request';
	status: ReportStatus;
	duration_ms: number | null;
	/** Pages of `report.pdf`. */
	pages: number | null;
	/** File name → size in bytes, for every file made. */
	sizes: Record<string, number>;
	error: string | null;
}

export interface CountChange {
	this_week: number;
	last_week: number;
}

export interface ReportSummary {
	/** Incidents created during the week. */
	count: number;
	count_prev: number;
	/** Incidents of the week answered before the week ended. */
	responded: number;
	/** First-response time quantiles in minutes, over `responded`. */
	p50_min: number | null;
	p90_min: number | null;
	/** Incidents of the week whose deadline fell inside the week. */
	due: number;
	/** Of `due`, answered by their deadline. */
	in_time: number;
	/** in_time / due; null with none due. */
	sla_share: number | null;
	/** Incidents of the week still unanswered past their deadline at the week's end. */
	overdue: number;
}

export interface ReportDay {
	day: string;
	count: number;
	count_prev: number;
}

export interface ReportHotspotCell {
	/** H3 res-9 cell id. */
	cell: string;
	district: string;
	count: number;
	/** Mean weekly count of the 8 weeks before. */
	expected: number;
	category: string;
	place: string;
}

export interface ReportOverdueIncident {
	id: string;
	created_at: string;
	deadline_at: string;
	category: string;
	source: string;
	address: string;
	text: string;
	/** Hours past the deadline at the week's end. */
	overdue_hours: number;
}

/** The numbers of one scope: the city (`district: null`) or one district. */
export interface ReportScopeData {
	district: string | null;
	name: string;
	summary: ReportSummary;
	categories: Array<{ category: string } & CountChange>;
	sources: Array<{ source: string; count: number }>;
	daily: ReportDay[];
	hotspots: ReportHotspotCell[];
	overdue_worst: ReportOverdueIncident[];
	/** Surges the live detector raised during the week (the district's and the city-wide ones). */
	surges?: ReportSurge[];
}

export interface ReportSurge {
	id: string;
	/** Null: city-wide. */
	district: string | null;
	category: string;
	count: number;
	expected: number;
	started_at: string;
}

export interface ReportData {
	week: string;
	from: string;
	to: string;
	tz: string;
	city: string;
	/** City first, then each district of the city pack in its order. */
	scopes: ReportScopeData[];
	/** Category code → label, district code → name, as the pages show them. */
	category_labels: Record<string, string>;
}
