/** The Snapshot a reader gets for its scope (CONTRACT.md, "Snapshot"). Timestamps RFC 3339 UTC. */
import type { IncidentView } from './incident';
import type { Scope } from './roles';

export interface Kpis {
	today: number;
	/** The usual count by this time of day for this weekday (mean over the last 8 weeks). */
	today_usual: number;
	open: number;
	overdue: number;
	median_response_min_today: number | null;
	median_response_min_7d: number | null;
	/** Share (0..1) of incidents of the last 7 days answered before their deadline; null with none due. */
	sla_share_7d: number | null;
	/** Share (0..1) of the last 30 days' incidents that repeat an earlier one at the same place and category; null with none. */
	repeat_share_30d: number | null;
}

export interface DistrictStats {
	code: string;
	name: string;
	population: number | null;
	today: number;
	last_24h: number;
	per_10k_24h: number | null;
	/** Last 24 h against the district's own baseline: 1 = usual, 2 = twice the usual. */
	tension: number;
	open: number;
	overdue: number;
	/** Share (0..1) of the district's last 30 days' incidents that repeat an earlier one (root causes); null with none. */
	repeat_share_30d?: number | null;
}

/** Repeats of the last 30 days in one category of the scope. */
export interface RepeatCategory {
	category: string;
	n: number;
	repeats: number;
	share: number;
}

export interface ResponseDay {
	day: string; // YYYY-MM-DD in the city's zone
	p50_min: number | null;
	p90_min: number | null;
	n: number;
}

export interface HourlyCount {
	hour: string; // RFC 3339 UTC start of the hour
	category: string;
	n: number;
}

export interface WeekCategory {
	category: string;
	this_week: number;
	last_week: number;
}

export interface Trends {
	response_daily: ResponseDay[];
	hourly: HourlyCount[];
	week_categories: WeekCategory[];
	/** Repeats of the last 30 days by category, most repeats first (root causes). */
	repeat_categories?: RepeatCategory[];
}

/** `local`: a place (cells and a centre); `surge`: one category far above its usual level over a district or the city. */
export type HotspotKind = 'local' | 'surge';

export interface Hotspot {
	id: string;
	/** The district holding most of its incidents; for a city-wide surge `null`. */
	district: string | null;
	kind: HotspotKind;
	/** H3 cell ids as strings. */
	cells: string[];
	center: { lat: number; lon: number };
	category: string;
	count: number;
	expected: number;
	score: number;
	started_at: string;
	growing: boolean;
	/** A human place hint, e.g. the most common address among its incidents. */
	place?: string;
	/** Length in hours of the window (ending now) in which `count` and `expected` were measured. */
	window_h?: number;
}

export interface Snapshot {
	as_of: string;
	scope: Scope;
	kpis: Kpis;
	districts: DistrictStats[];
	trends: Trends;
	hotspots: Hotspot[];
	feed: IncidentView[];
}

/** `aggregates`: only the parts that changed. */
export type SnapshotDelta = Partial<Pick<Snapshot, 'kpis' | 'districts' | 'trends'>> & {
	as_of: string;
	scope: Scope;
};

export interface HotspotAlert {
	kind: 'opened' | 'escalated' | 'closed';
	hotspot: Hotspot;
}
