/**
 * The one link to `/live`, for the wall and the district tablet alike: Socket.IO with reconnect and backoff,
 * heartbeat tracking for the stale banner, an HTTP resync when no snapshot follows a (re)connect, and a
 * reload when the server's version changes. A district page also names its district: a wall or admin token
 * asks the server for that scope (`subscribe`) after every fresh connect (a district token is pinned to its
 * own by the server anyway), and incidents of other districts are not handed on: the server decides the
 * scope, the page never widens it.
 */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type ClientToServerEvents, type IncidentStatusMessage, type ServerToClientEvents } from '../contract/events';
import type { IncidentView } from '../contract/incident';
import type { Scope } from '../contract/roles';
import { SnapshotSchema, type Hotspot, type HotspotAlert, type Snapshot, type SnapshotDelta } from '../contract/snapshot';
import { backoffMs } from './stale';

/** `refused`: the token was revoked or has no right to this scope; the link keeps trying slowly. */
export type LinkState = 'connecting' | 'online' | 'reconnecting' | 'refused';

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
	/** The district of a district page: what it shows, and what the HTTP resync asks for. */
	district?: string;
	/** True for wall and admin tokens on a district page: their sockets start in the city scope. */
	subscribe?: boolean;
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
		const { sink, district } = this.opts;
		const ours = (d: string) => district === undefined || d === district;

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
			if (district !== undefined && this.opts.subscribe && !socket.recovered) {
				socket.emit('subscribe', { district }, (ack) => {
					if ('error' in ack) this.state = 'refused';
				});
			}
		});
		socket.on('disconnect', (reason) => {
			this.state = 'reconnecting';
			// After a server-side disconnect Socket.IO does not retry by itself.
			if (reason === 'io server disconnect') this.retryLater();
		});
		socket.on('connect_error', (e) => {
			// A revoked token: say so; keep trying slowly in case the administrator restores it.
			if (e.message === 'unauthorized' || e.message === 'forbidden') this.state = 'refused';
			else this.state = this.connectedOnce ? 'reconnecting' : 'connecting';
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
			if (ours(i.district)) sink.incident(i);
		});
		socket.on('incident:status', (m) => {
			this.data();
			if (ours(m.district)) sink.status(m);
		});
		socket.on('aggregates', (d) => {
			this.data();
			sink.aggregates(d);
		});
		socket.on('hotspots', (h) => {
			this.data();
			sink.hotspots(h);
		});
		// The server sends a scope every hotspot that touches it, a cross-border one included: no filter here.
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
			const scope = this.opts.district === undefined ? '' : `?district=${encodeURIComponent(this.opts.district)}`;
			const res = await fetch(`${this.opts.origin}/api/v1/snapshot${scope}`, {
				credentials: 'same-origin',
				cache: 'no-store'
			});
			if (!res.ok || !this.awaitingSnapshot) return;
			const s = SnapshotSchema.parse(await res.json());
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
