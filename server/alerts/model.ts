/** What an outbound alert is, as the outbox records it and the senders render it. Times RFC 3339 UTC. */
import crypto from 'node:crypto';
import type { Hotspot } from '../../src/lib/contract/snapshot.ts';
import type { AlertEventName } from './config.ts';

export type AlertKind =
	| 'hotspot_opened'
	| 'hotspot_escalated'
	| 'hotspot_closed'
	| 'overdue'
	| 'incident'
	| 'reminder'
	| 'store_down'
	| 'store_up'
	| 'spool_filling'
	| 'test';

/** An incident as a message mentions it (text already cut to a feed's length). */
export interface AlertIncident {
	id: string;
	district: string;
	category: string;
	severity: number;
	address: string;
	text: string;
	created_at: string;
	deadline_at: string;
}

export interface Alert {
	/** Short and opaque: it travels in Telegram's callback_data (≤ 64 bytes). */
	id: string;
	created_at: string;
	event: AlertEventName | 'test';
	kind: AlertKind;
	/** Districts concerned; empty with `city_wide` for a city surge, empty without it for system alerts. */
	districts: string[];
	city_wide: boolean;
	category: string | null;
	/** For routing by min_severity: an incident's own; a surge 4, a local hotspot 3, a system alert 5. */
	severity: number;
	/** Sent even outside working hours. */
	urgent: boolean;
	/** Incidents an acceptance is recorded on; for a hotspot they are looked up when it is accepted. */
	incident_ids: string[];
	incidents?: AlertIncident[];
	hotspot?: Hotspot;
	/** Free text of a system or test alert. */
	detail?: string;
	reminder_of?: string;
}

export interface PlannedDelivery {
	contact: string;
	/** Not sent before this instant (quiet hours wait for the digest). */
	due_at: string;
	/** Waits for the morning digest: sent with the others due then, in one message. */
	digest: boolean;
}

export interface DeliveryState extends PlannedDelivery {
	state: 'pending' | 'sent' | 'dropped';
	attempts: number;
	last_error: string | null;
	sent_at: string | null;
	/** Where a Telegram message landed, to edit it on acceptance. */
	ref: { chat_id: string; message_id: number } | null;
}

export interface AlertState {
	alert: Alert;
	deliveries: DeliveryState[];
	ack: { by: string; at: string } | null;
	reminded: boolean;
}

export function newAlertId(): string {
	// 12 base32-ish chars = 60 random bits: unguessable enough that a button cannot be forged for another alert.
	return crypto.randomBytes(8).toString('base64url').slice(0, 11);
}

/** Alerts about incidents or open hotspots carry «Принято в работу» (a closed hotspot has nothing to take). */
export function isAckable(a: Alert): boolean {
	return (a.event === 'hotspot' && a.kind !== 'hotspot_closed') || a.event === 'overdue' || a.event === 'incident';
}
