/** Socket.IO events of namespace `/live`, typed once for both ends. */
import type { IncidentView, EventType } from './incident';
import type { Hotspot, HotspotAlert, Snapshot, SnapshotDelta } from './snapshot';
import type { Principal, Scope } from './roles';

export const LIVE_NAMESPACE = '/live';

export interface IncidentStatusMessage {
	incident_id: string;
	type: EventType;
	at: string;
	executor: string;
	/** The district of the incident: lets a client route it without another lookup. */
	district: string;
}

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
	subscribe: (payload: { district: string | null }, ack: (r: SubscribeAck) => void) => void;
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
