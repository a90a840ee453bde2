/** Socket.IO events of namespace `/live`, typed once for both ends; payload schemas where a side parses them. */
import { z } from 'zod';
import { EventTypeSchema, type IncidentView } from './incident.ts';
import type { Hotspot, HotspotAlert, Snapshot, SnapshotDelta } from './snapshot.ts';
import type { Principal, Scope } from './roles.ts';

export const LIVE_NAMESPACE = '/live';

export const IncidentStatusMessageSchema = z.object({
	incident_id: z.string(),
	type: EventTypeSchema,
	at: z.string(),
	executor: z.string(),
	/** The district of the incident: lets a client route it without another lookup. */
	district: z.string()
});
export type IncidentStatusMessage = z.infer<typeof IncidentStatusMessageSchema>;

/** `subscribe`: the scope a city reader asks for (null: the whole city); the server checks it against the token. */
export const SubscribePayloadSchema = z.strictObject({ district: z.string().max(64).nullable() });
export type SubscribePayload = z.infer<typeof SubscribePayloadSchema>;

export interface ServerToClientEvents {
	snapshot: (s: Snapshot) => void;
	incident: (i: IncidentView) => void;
	'incident:status': (e: IncidentStatusMessage) => void;
	aggregates: (d: SnapshotDelta) => void;
	hotspots: (h: { scope: Scope; hotspots: Hotspot[] }) => void;
	'hotspot:alert': (a: HotspotAlert) => void;
	'server:version': (v: { version: string }) => void;
}

export type SubscribeAck = { ok: true } | { error: string };

export interface ClientToServerEvents {
	subscribe: (payload: SubscribePayload, ack: (r: SubscribeAck) => void) => void;
}

export interface SocketData {
	principal: Principal;
	scope: Scope;
}

/** Between aggregator processes (through the Redis adapter): rows reached the shared store. */
export interface InterServerEvents {
	'mcu:ingested': (districts: string[]) => void;
	/** Keys one process stored: the others add them to their duplicate indexes. */
	'mcu:keys': (keys: { incidents: string[]; events: string[] }) => void;
}
