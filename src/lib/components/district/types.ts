/** Shapes shared by the district page's server load and its components. */
import type { AlertAcceptance } from '../../contract/snapshot';

/** The city average beside a district's KPIs (see src/lib/server/city-average.ts). */
export interface CityAverage {
	/** Districts averaged over. */
	districts: number;
	/** Mean per district. */
	today: number | null;
	open: number | null;
	overdue: number | null;
	/** Whole city: last 24 h per 10 000 residents (districts with a known population). */
	per_10k_24h: number | null;
	/** Whole city, as the wall shows it. */
	median_response_min_7d: number | null;
	sla_share_7d: number | null;
	/** City-wide share of the last 30 days' incidents that repeat an earlier one (root causes). */
	repeat_share_30d?: number | null;
	/** Whole city: alert → «Принято в работу» over 7 days; absent or null without outbound alerts. */
	alert_acceptance_7d?: AlertAcceptance | null;
	as_of: string;
}
