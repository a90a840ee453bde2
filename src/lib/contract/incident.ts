/**
 * Ingest payloads and the views of incidents sent to readers (CONTRACT.md). The zod schemas are the
 * contract: the types are inferred from them, the server validates with them, OpenAPI is generated from them.
 */
import { z } from 'zod';

export const SOURCES = ['vk', 'ok', 'telegram', 'feedback_platform', 'forum', 'media', 'phone', 'other'] as const;
export const SourceSchema = z.enum(SOURCES);
export type Source = z.infer<typeof SourceSchema>;

export const EVENT_TYPES = ['assigned', 'responded', 'resolved', 'reopened'] as const;
export const EventTypeSchema = z.enum(EVENT_TYPES);
export type EventType = z.infer<typeof EventTypeSchema>;

export const IncidentStatusSchema = z.enum(['open', 'responded', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

/** RFC 3339 with an offset; the server checks more (a real date, not in the future) in server/ingest/validate.ts. */
const rfc3339 = z.string().max(40).describe('RFC 3339 timestamp with an offset, e.g. 2024-03-01T09:15:00+07:00');
const inputId = z.string().min(1).max(128);

/**
 * An incident as posted to `POST /api/v1/incidents`: the shape and limits. Which category and district codes
 * exist depends on the city pack; server/ingest/validate.ts refines this schema with them.
 */
export const IncidentInputSchema = z.strictObject({
	id: inputId,
	source: SourceSchema,
	created_at: rfc3339,
	category: z.string().describe('a category code of the city pack'),
	district: z.string().optional().describe('a district code of the city pack, or "unknown"; found from lat/lon when absent'),
	lat: z.number().min(-90).max(90).optional(),
	lon: z.number().min(-180).max(180).optional(),
	address: z.string().max(300).optional(),
	text: z.string().max(4000).optional(),
	url: z.string().max(2048).optional().describe('http or https URL of the original message'),
	severity: z.number().int().min(1).max(5).optional(),
	deadline_hours: z.number().positive().max(2000).optional(),
	/** An opaque id of who posted, from the source; stored only as a salted hash, never shown or returned. */
	author: z.string().max(128).optional()
});
export type IncidentInput = z.infer<typeof IncidentInputSchema>;

/** A status event as posted to `POST /api/v1/events`. */
export const StatusEventInputSchema = z.strictObject({
	incident_id: inputId,
	type: EventTypeSchema,
	at: rfc3339,
	executor: z.string().max(200).optional(),
	comment: z.string().max(2000).optional()
});
export type StatusEventInput = z.infer<typeof StatusEventInputSchema>;

/** The answer to an accepted batch (202): what was new and what the store had already. */
export const IngestResultSchema = z.object({ accepted: z.number().int(), duplicates: z.number().int() });
export type IngestResult = z.infer<typeof IngestResultSchema>;

/** What readers see of an incident in feeds and lists. Timestamps are RFC 3339 UTC. */
export const IncidentViewSchema = z.object({
	id: z.string(),
	created_at: z.string(),
	district: z.string(),
	category: z.string(),
	source: SourceSchema,
	lat: z.number().nullable(),
	lon: z.number().nullable(),
	address: z.string(),
	/** At most 280 characters. Text from social networks: render as text, never as HTML. */
	text: z.string().describe('at most 280 characters; text from social networks: render as text, never as HTML'),
	severity: z.number(),
	status: IncidentStatusSchema,
	deadline_at: z.string(),
	/** The id of the earlier incident at the same place and category that this one repeats, or null. */
	repeat_of: z.string().nullable()
});
export type IncidentView = z.infer<typeof IncidentViewSchema>;

export const StatusEventViewSchema = z.object({
	incident_id: z.string(),
	type: EventTypeSchema,
	at: z.string(),
	executor: z.string(),
	comment: z.string()
});
export type StatusEventView = z.infer<typeof StatusEventViewSchema>;

/** `GET /api/v1/incidents/:id`: the full incident with its timeline. */
export const IncidentDetailSchema = IncidentViewSchema.extend({
	text: z.string().describe('the whole text; render as text, never as HTML'),
	url: z.string(),
	received_at: z.string(),
	events: z.array(StatusEventViewSchema),
	first_response_at: z.string().nullable(),
	overdue: z.boolean(),
	repeated_by: z.string().nullable().describe('the next incident at the same place and category that repeats this one (the other end of `repeat_of`), or null')
});
export type IncidentDetail = z.infer<typeof IncidentDetailSchema>;

export const IncidentPageSchema = z.object({
	items: z.array(IncidentViewSchema),
	next_cursor: z.string().nullable()
});
export type IncidentPage = z.infer<typeof IncidentPageSchema>;

export const FEED_TEXT_LIMIT = 280;

export function feedText(text: string): string {
	const chars = Array.from(text);
	return chars.length <= FEED_TEXT_LIMIT ? text : chars.slice(0, FEED_TEXT_LIMIT - 1).join('') + '…';
}
