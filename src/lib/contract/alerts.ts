/** The outbound alert log (`GET /api/v1/alerts`, /admin). Timestamps RFC 3339 UTC. */

/** One alert: where it went (a delivery per contact point), attempts, outcome, who accepted it. */
export interface AlertLogEntry {
	id: string;
	created_at: string;
	event: string;
	kind: string;
	districts: string[];
	city_wide: boolean;
	category: string | null;
	severity: number;
	incidents: number;
	summary: string;
	deliveries: { contact: string; due_at: string; digest: boolean; state: string; attempts: number; last_error: string | null; sent_at: string | null }[];
	accepted: { by: string; at: string; after_min: number } | null;
}

/** The log, the contact points (never their secrets), the file's state, alert → acceptance per district. */
export interface AlertsView {
	file: { path: string; loaded_at: string; error: { at: string; message: string } | null };
	contacts: { name: string; type: string; target: string; failures: number; retry_at: string | null }[];
	alerts: AlertLogEntry[];
	acceptance: { district: string; accepted: number; median_min: number | null }[];
	pending: number;
}

/** What /admin gets of the alerts through the server context (`extras.alerts`). */
export interface AdminAlerts {
	view(): AlertsView;
	test(contact: string): Promise<{ delivered: boolean; alert_id: string; error: string | null } | null>;
}
