/**
 * The wall's link to `/live`: Socket.IO with reconnect and backoff, heartbeat tracking for the stale banner,
 * an HTTP resync when no snapshot follows a (re)connect, and a reload when the server's version changes.
 */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type ClientToServerEvents, type IncidentStatusMessage, type ServerToClientEvents } from '../contract/events';
import type { IncidentView } from '../contract/incident';
import type { Scope } from '../contract/roles';
import type { Hotspot, HotspotAlert, Snapshot, SnapshotDelta } from '../contract/snapshot';
import { backoffMs } from './stale';

export type LinkState = 'connecting' | 'online' | 'reconnecting';

/** Where the connection delivers what arrives. */
export interface LiveSink {
	snapshot(s: Snapshot): void;
	incident(i: IncidentView): void;
	status(m: IncidentStatusMessage): void;
	aggregates(d: SnapshotDelta): void;
	hotspots(h: { scope: Scope; hotspots: Hotspot[] }): void;
	alert(a: HotspotAlert): void;
}

export interface LiveOptions {
	/** Origin of the server, e.g. `location.origin`. */
	origin: string;
	/** The server version the page was rendered by. */
	version: string;
	sink: LiveSink;
	onNewVersion?: (version: string) => void;
	/** How long to wait for `snapshot` after connecting before reading it over HTTP. */
	resyncAfterMs?: number;
}

type WallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class LiveConnection {
	state = $state<LinkState>('connecting');
	/** Client time of the last data or heartbeat. */
	lastAliveAt = $state(Date.now());
	/** Client time of the last data (not heartbeats): what «данные на …» refers to. */
	lastDataAt = $state<number | null>(null);
	/** Successful connects after the first one. */
	reconnects = $state(0);
	/** Snapshots read over HTTP because the socket sent none. */
	resyncs = $state(0);

	private socket: WallSocket | null = null;
	private resyncTimer: ReturnType<typeof setTimeout> | null = null;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private failures = 0;
	private connectedOnce = false;
	private awaitingSnapshot = false;

	constructor(private readonly opts: LiveOptions) {}

	start(): void {
		if (this.socket) return;
		const socket: WallSocket = io(this.opts.origin + LIVE_NAMESPACE, {
			// No token in the page: the handshake carries the HttpOnly page cookie of this origin.
			withCredentials: true,
			transports: ['websocket'],
			reconnectionDelay: 1000,
			reconnectionDelayMax: 10_000,
			randomizationFactor: 0.5
		});
		this.socket = socket;
		const { sink } = this.opts;

		socket.on('connect', () => {
			this.state = 'online';
			this.failures = 0;
			if (this.connectedOnce) this.reconnects++;
			this.connectedOnce = true;
			this.alive();
			// A recovered session replays what was missed; otherwise the server sends a fresh snapshot, and if
			// even that does not come, the HTTP snapshot does the same job.
			this.awaitingSnapshot = !socket.recovered;
			if (this.awaitingSnapshot) this.scheduleResync();
		});
		socket.on('disconnect', (reason) => {
			this.state = 'reconnecting';
			// After a server-side disconnect Socket.IO does not retry by itself.
			if (reason === 'io server disconnect') this.retryLater();
		});
		socket.on('connect_error', () => {
			this.state = this.connectedOnce ? 'reconnecting' : 'connecting';
			// A refused handshake (middleware error) is not retried by Socket.IO; a kiosk keeps trying.
			if (!socket.active) this.retryLater();
		});
		// Engine.IO pings prove the link is alive even when the city is quiet.
		socket.io.on('ping', () => this.alive());

		socket.on('snapshot', (s) => {
			this.awaitingSnapshot = false;
			this.data();
			sink.snapshot(s);
		});
		socket.on('incident', (i) => {
			this.data();
			sink.incident(i);
		});
		socket.on('incident:status', (m) => {
			this.data();
			sink.status(m);
		});
		socket.on('aggregates', (d) => {
			this.data();
			sink.aggregates(d);
		});
		socket.on('hotspots', (h) => {
			this.data();
			sink.hotspots(h);
		});
		socket.on('hotspot:alert', (a) => {
			this.data();
			sink.alert(a);
		});
		socket.on('server:version', ({ version }) => {
			this.alive();
			if (version && version !== this.opts.version) {
				(this.opts.onNewVersion ?? (() => location.reload()))(version);
			}
		});
	}

	stop(): void {
		this.clearTimers();
		this.socket?.removeAllListeners();
		this.socket?.io.removeAllListeners();
		this.socket?.disconnect();
		this.socket = null;
	}

	private alive(): void {
		this.lastAliveAt = Date.now();
	}

	private data(): void {
		const now = Date.now();
		this.lastAliveAt = now;
		this.lastDataAt = now;
	}

	private retryLater(): void {
		if (this.retryTimer) return;
		const delay = backoffMs(this.failures++, Math.random(), 1000, 30_000);
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			if (this.socket && !this.socket.connected) this.socket.connect();
		}, delay);
	}

	private scheduleResync(): void {
		if (this.resyncTimer) clearTimeout(this.resyncTimer);
		this.resyncTimer = setTimeout(() => {
			this.resyncTimer = null;
			if (this.awaitingSnapshot) void this.resyncOverHttp();
		}, this.opts.resyncAfterMs ?? 5000);
	}

	private async resyncOverHttp(): Promise<void> {
		try {
			const res = await fetch(`${this.opts.origin}/api/v1/snapshot`, {
				credentials: 'same-origin',
				cache: 'no-store'
			});
			if (!res.ok || !this.awaitingSnapshot) return;
			const s = (await res.json()) as Snapshot;
			this.awaitingSnapshot = false;
			this.resyncs++;
			this.data();
			this.opts.sink.snapshot(s);
		} catch {
			// Still offline: the next connect schedules another attempt.
		}
	}

	private clearTimers(): void {
		if (this.resyncTimer) clearTimeout(this.resyncTimer);
		if (this.retryTimer) clearTimeout(this.retryTimer);
		this.resyncTimer = this.retryTimer = null;
	}
}
