/** Ingest payloads and the views of incidents sent to readers (CONTRACT.md). */

export const SOURCES = ['vk', 'ok', 'telegram', 'feedback_platform', 'forum', 'media', 'phone', 'other'] as const;
export type Source = (typeof SOURCES)[number];

export const EVENT_TYPES = ['assigned', 'responded', 'resolved', 'reopened'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type IncidentStatus = 'open' | 'responded' | 'resolved';

/** An incident as posted to `POST /api/v1/incidents`. */
export interface IncidentInput {
	id: string;
	source: Source;
	created_at: string;
	category: string;
	district?: string;
	lat?: number;
	lon?: number;
	address?: string;
	text?: string;
	url?: string;
	severity?: number;
	deadline_hours?: number;
	/** An opaque id of who posted, from the source; stored only as a salted hash, never shown or returned. */
	author?: string;
}

/** A status event as posted to `POST /api/v1/events`. */
export interface StatusEventInput {
	incident_id: string;
	type: EventType;
	at: string;
	executor?: string;
	comment?: string;
}

/** What readers see of an incident in feeds and lists. Timestamps are RFC 3339 UTC. */
export interface IncidentView {
	id: string;
	created_at: string;
	district: string;
	category: string;
	source: Source;
	lat: number | null;
	lon: number | null;
	address: string;
	/** At most 280 characters. Text from social networks: render as text, never as HTML. */
	text: string;
	severity: number;
	status: IncidentStatus;
	deadline_at: string;
	/** The id of the earlier incident at the same place and category that this one repeats, or null. */
	repeat_of: string | null;
}

export interface StatusEventView {
	incident_id: string;
	type: EventType;
	at: string;
	executor: string;
	comment: string;
}

/** `GET /api/v1/incidents/:id`: the full incident with its timeline. */
export interface IncidentDetail extends Omit<IncidentView, 'text'> {
	text: string;
	url: string;
	received_at: string;
	events: StatusEventView[];
	first_response_at: string | null;
	overdue: boolean;
	/** The next incident at the same place and category that repeats this one (the other end of `repeat_of`), or null. */
	repeated_by: string | null;
}

export interface IncidentPage {
	items: IncidentView[];
	next_cursor: string | null;
}

export const FEED_TEXT_LIMIT = 280;

export function feedText(text: string): string {
	const chars = Array.from(text);
	return chars.length <= FEED_TEXT_LIMIT ? text : chars.slice(0, FEED_TEXT_LIMIT - 1).join('') + '…';
}
