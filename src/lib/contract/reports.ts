/** The weekly report: its archive entry and the numbers its pages show (PRODUCT.md §3). */
import type { ChronicPlace } from './places';
import type { AlertAcceptance } from './snapshot';
import { z } from 'zod';

export const ReportStatusSchema = z.enum(['queued', 'running', 'done', 'failed']);
export type ReportStatus = z.infer<typeof ReportStatusSchema>;

/** `meta.json` of one archived report; also what `GET /api/v1/reports` lists. */
export const ReportMetaSchema = z.object({
	id: z.string(),
	/** ISO week in the city's zone, `YYYY-Www`. */
	week: z.string(),
	/** Local dates (city zone) of the week's Monday and Sunday. */
	from: z.string(),
	to: z.string(),
	created_at: z.string(),
	/** How the generation was asked for. */
	trigger: z.enum(['schedule', 'request']),
	status: ReportStatusSchema,
	duration_ms: z.number().nullable(),
	/** Pages of `report.pdf`. */
	pages: z.number().nullable(),
	/** File name → size in bytes, for every file made. */
	sizes: z.record(z.string(), z.number()),
	error: z.string().nullable()
}).meta({ id: 'ReportMeta' });
export type ReportMeta = z.infer<typeof ReportMetaSchema>;

/** `GET /api/v1/reports`. */
export const ReportListSchema = z.object({ items: z.array(ReportMetaSchema) });

/** `POST /api/v1/reports` (admin): generate one week's report now. */
export const ReportRequestSchema = z.object({ week: z.string().max(16).describe('ISO week, YYYY-Www') });
/** The 202 answer: the report's id, to fetch its files by once done. */
export const ReportAcceptedSchema = z.object({ id: z.string(), status: ReportStatusSchema });

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

/** Repeats of a report week and the week before (root causes). */
export interface ReportRepeats {
	n: number;
	repeats: number;
	share: number | null;
	n_prev: number;
	repeats_prev: number;
	share_prev: number | null;
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
	/** Week-over-week repeat share. */
	repeats?: ReportRepeats;
	/** The week's top chronic places (≥ 2 incidents in the week) with a year of monthly history. */
	chronic?: ChronicPlace[];
	/** Surges the live detector raised during the week (the district's and the city-wide ones). */
	surges?: ReportSurge[];
	/** Alert → «Принято в работу» for the alerts first sent in the week and in the week before (null: none sent). */
	acceptance?: { this_week: AlertAcceptance | null; last_week: AlertAcceptance | null };
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
