/** The Snapshot a reader gets for its scope (CONTRACT.md, "Snapshot"). Timestamps RFC 3339 UTC. */
import { z } from 'zod';
import { IncidentViewSchema } from './incident.ts';

/** What a read is limited to: the whole city (`district: null`) or one district (same shape as roles.ts `Scope`). */
export const ScopeSchema = z.object({ district: z.string().nullable() });

/**
 * Time from an outbound alert (its first Telegram delivery) to «Принято в работу», over the alerts first
 * sent in the period: minutes, median and 90th percentile over the accepted ones.
 */
export const AlertAcceptanceSchema = z.object({
	sent: z.number().describe('alerts with the button first sent to a Telegram chat in the period'),
	accepted: z.number().describe('of them, accepted'),
	median_min: z.number().nullable().describe('median minutes from sent to accepted; null with none accepted'),
	p90_min: z.number().nullable().describe('90th percentile of the same; null with none accepted')
}).meta({ id: 'AlertAcceptance' });
export type AlertAcceptance = z.infer<typeof AlertAcceptanceSchema>;

export const KpisSchema = z.object({
	today: z.number(),
	/** The usual count by this time of day for this weekday (mean over the last 8 weeks). */
	today_usual: z.number(),
	open: z.number(),
	overdue: z.number(),
	median_response_min_today: z.number().nullable(),
	median_response_min_7d: z.number().nullable(),
	/** Share (0..1) of incidents of the last 7 days answered before their deadline; null with none due. */
	sla_share_7d: z.number().nullable(),
	/** Share (0..1) of the last 30 days' incidents that repeat an earlier one at the same place and category; null with none. */
	repeat_share_30d: z.number().nullable(),
	alert_acceptance_7d: AlertAcceptanceSchema.nullable().optional().describe("the scope's alert → acceptance time over the last 7 days; null with no alert sent")
}).meta({ id: 'Kpis' });
export type Kpis = z.infer<typeof KpisSchema>;

export const DistrictStatsSchema = z.object({
	code: z.string(),
	name: z.string(),
	population: z.number().nullable(),
	today: z.number(),
	last_24h: z.number(),
	per_10k_24h: z.number().nullable(),
	/** Last 24 h against the district's own baseline: 1 = usual, 2 = twice the usual. */
	tension: z.number(),
	open: z.number(),
	overdue: z.number(),
	repeat_share_30d: z.number().nullable().optional().describe("share (0..1) of the district's last 30 days' incidents that repeat an earlier one; null with none"),
	alert_acceptance_7d: AlertAcceptanceSchema.nullable().optional().describe("the district's alert → acceptance time over the last 7 days; null with no alert sent")
}).meta({ id: 'DistrictStats' });
export type DistrictStats = z.infer<typeof DistrictStatsSchema>;

/** Repeats of the last 30 days in one category of the scope. */
export const RepeatCategorySchema = z.object({
	category: z.string(),
	n: z.number(),
	repeats: z.number(),
	share: z.number()
}).meta({ id: 'RepeatCategory' });
export type RepeatCategory = z.infer<typeof RepeatCategorySchema>;

export const ResponseDaySchema = z.object({
	/** YYYY-MM-DD in the city's zone. */
	day: z.string(),
	p50_min: z.number().nullable(),
	p90_min: z.number().nullable(),
	n: z.number()
});
export type ResponseDay = z.infer<typeof ResponseDaySchema>;

export const HourlyCountSchema = z.object({
	/** RFC 3339 UTC start of the hour. */
	hour: z.string(),
	category: z.string(),
	n: z.number()
});
export type HourlyCount = z.infer<typeof HourlyCountSchema>;

export const WeekCategorySchema = z.object({ category: z.string(), this_week: z.number(), last_week: z.number() });
export type WeekCategory = z.infer<typeof WeekCategorySchema>;

export const TrendsSchema = z.object({
	response_daily: z.array(ResponseDaySchema),
	hourly: z.array(HourlyCountSchema),
	week_categories: z.array(WeekCategorySchema),
	repeat_categories: z.array(RepeatCategorySchema).optional().describe('repeats of the last 30 days by category, most repeats first')
}).meta({ id: 'Trends' });
export type Trends = z.infer<typeof TrendsSchema>;

/** `local`: a place (cells and a centre); `surge`: one category far above its usual level over a district or the city. */
export const HotspotKindSchema = z.enum(['local', 'surge']);
export type HotspotKind = z.infer<typeof HotspotKindSchema>;

export const HotspotSchema = z.object({
	id: z.string(),
	/** The district holding most of its incidents; for a city-wide surge `null`. */
	district: z.string().nullable(),
	kind: HotspotKindSchema,
	/** H3 cell ids as strings. */
	cells: z.array(z.string()),
	center: z.object({ lat: z.number(), lon: z.number() }),
	category: z.string(),
	count: z.number(),
	expected: z.number(),
	score: z.number(),
	started_at: z.string(),
	growing: z.boolean(),
	/** A human place hint, e.g. the most common address among its incidents. */
	place: z.string().optional(),
	/** Length in hours of the window (ending now) in which `count` and `expected` were measured. */
	window_h: z.number().optional()
}).meta({ id: 'Hotspot' });
export type Hotspot = z.infer<typeof HotspotSchema>;

export const SnapshotSchema = z.object({
	as_of: z.string(),
	scope: ScopeSchema,
	kpis: KpisSchema,
	districts: z.array(DistrictStatsSchema),
	trends: TrendsSchema,
	hotspots: z.array(HotspotSchema),
	feed: z.array(IncidentViewSchema)
}).meta({ id: 'Snapshot' });
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** `aggregates`: only the parts that changed. */
export const SnapshotDeltaSchema = z.object({
	as_of: z.string(),
	scope: ScopeSchema,
	kpis: KpisSchema.optional(),
	districts: z.array(DistrictStatsSchema).optional(),
	trends: TrendsSchema.optional()
});
export type SnapshotDelta = z.infer<typeof SnapshotDeltaSchema>;

export const HotspotAlertSchema = z.object({ kind: z.enum(['opened', 'escalated', 'closed']), hotspot: HotspotSchema });
export type HotspotAlert = z.infer<typeof HotspotAlertSchema>;
