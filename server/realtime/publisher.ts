/**
 * How the domain tells live clients about changes, without knowing about sockets.
 * Rooms: one per scope (`scope:city`, `scope:d:<code>`); every socket is in exactly one.
 */
import type { Namespace } from 'socket.io';
import type { IncidentView } from '../../src/lib/contract/incident.ts';
import type { Hotspot, HotspotAlert, SnapshotDelta } from '../../src/lib/contract/snapshot.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { ClientToServerEvents, IncidentStatusMessage, InterServerEvents, ServerToClientEvents, SocketData } from '../../src/lib/contract/events.ts';

export interface LivePublisher {
	incident(view: IncidentView): void;
	status(msg: IncidentStatusMessage): void;
	aggregates(delta: SnapshotDelta): void;
	hotspots(scope: Scope, hotspots: Hotspot[]): void;
	hotspotAlert(scope: Scope, alert: HotspotAlert): void;
}

export type LiveNamespace = Namespace<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export function roomOf(scope: Scope): string {
	return scope.district === null ? 'scope:city' : `scope:d:${scope.district}`;
}

export class SocketPublisher implements LivePublisher {
	constructor(private readonly nsp: LiveNamespace) {}

	incident(view: IncidentView): void {
		this.nsp.to([roomOf({ district: null }), roomOf({ district: view.district })]).emit('incident', view);
	}

	status(msg: IncidentStatusMessage): void {
		this.nsp.to([roomOf({ district: null }), roomOf({ district: msg.district })]).emit('incident:status', msg);
	}

	// Aggregates and hotspots are computed by every process from the shared store, so each tells only its own
	// sockets; through the Redis adapter an alert would otherwise reach a client once per process.
	aggregates(delta: SnapshotDelta): void {
		this.nsp.local.to(roomOf(delta.scope)).emit('aggregates', delta);
	}

	hotspots(scope: Scope, hotspots: Hotspot[]): void {
		this.nsp.local.to(roomOf(scope)).emit('hotspots', { scope, hotspots });
	}

	hotspotAlert(scope: Scope, alert: HotspotAlert): void {
		this.nsp.local.to(roomOf(scope)).emit('hotspot:alert', alert);
	}
}

/** Publishes nowhere: for backfills and tools that run without sockets. */
export const silentPublisher: LivePublisher = {
	incident: () => undefined,
	status: () => undefined,
	aggregates: () => undefined,
	hotspots: () => undefined,
	hotspotAlert: () => undefined
};
