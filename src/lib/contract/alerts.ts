/** The outbound alert log (`GET /api/v1/alerts`, /admin). Timestamps RFC 3339 UTC. */
import { z } from 'zod';

const DeliverySchema = z.object({
	contact: z.string(),
	due_at: z.string(),
	digest: z.boolean(),
	state: z.string(),
	attempts: z.number(),
	last_error: z.string().nullable(),
	sent_at: z.string().nullable()
});

/** One alert: where it went (a delivery per contact point), attempts, outcome, who accepted it. */
export const AlertLogEntrySchema = z
	.object({
		id: z.string(),
		created_at: z.string(),
		event: z.string(),
		kind: z.string(),
		districts: z.array(z.string()),
		city_wide: z.boolean(),
		category: z.string().nullable(),
		severity: z.number(),
		incidents: z.number(),
		summary: z.string(),
		deliveries: z.array(DeliverySchema),
		accepted: z.object({ by: z.string(), at: z.string(), after_min: z.number() }).nullable()
	})
	.meta({ id: 'AlertLogEntry' });
export type AlertLogEntry = z.infer<typeof AlertLogEntrySchema>;

/** The log, the contact points (never their secrets), the file's state, alert → acceptance per district. */
export const AlertsViewSchema = z
	.object({
		file: z.object({ path: z.string(), loaded_at: z.string(), error: z.object({ at: z.string(), message: z.string() }).nullable() }),
		contacts: z.array(z.object({ name: z.string(), type: z.string(), target: z.string(), failures: z.number(), retry_at: z.string().nullable() })),
		alerts: z.array(AlertLogEntrySchema),
		acceptance: z.array(z.object({ district: z.string(), accepted: z.number(), median_min: z.number().nullable() })),
		pending: z.number()
	})
	.meta({ id: 'AlertsView' });
export type AlertsView = z.infer<typeof AlertsViewSchema>;

/** `POST /api/v1/alerts/test`: the body and the outcome of one test message. */
export const AlertTestRequestSchema = z.object({ contact: z.string().min(1).max(64) }).strict();
export const AlertTestOutcomeSchema = z.object({ delivered: z.boolean(), alert_id: z.string(), error: z.string().nullable() }).meta({ id: 'AlertTestOutcome' });
export type AlertTestOutcome = z.infer<typeof AlertTestOutcomeSchema>;

/** What /admin gets of the alerts through the server context (`extras.alerts`). */
export interface AdminAlerts {
	view(): AlertsView;
	test(contact: string): Promise<AlertTestOutcome | null>;
}
