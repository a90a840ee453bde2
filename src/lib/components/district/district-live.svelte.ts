/**
 * The district page's link to `/live`. Like the wall's connection, with one difference: a wall or admin
 * token opening a district page asks the server for that district's scope (`subscribe`) after every fresh
 * connect. A district token is pinned to its own district by the server anyway. What arrives is handed
 * on only when it belongs to this district: the server decides, the page does not widen it.
 */
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type ClientToServerEvents, type ServerToClientEvents } from '../../contract/events';
import type { LiveSink } from '../../live/connection.svelte';
import { backoffMs } from '../../live/stale';

export type DistrictLinkState = 'connecting' | 'online' | 'reconnecting' | 'refused';

export interface DistrictLiveOptions {
	origin: string;
	token: string;
	district: string;
	version: string;
	/** True for wall and admin tokens: their sockets start in the city scope. */
	subscribe: boolean;
	sink: LiveSink;
}

export class DistrictLive {
	state = $state<DistrictLinkState>('connecting');
	private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
	private retry: ReturnType<typeof setTimeout> | null = null;
	private failures = 0;

	constructor(private readonly opts: DistrictLiveOptions) {}

	start(): void {
		if (this.socket) return;
		const { sink, district } = this.opts;
		const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(this.opts.origin + LIVE_NAMESPACE, {
			auth: { token: this.opts.token },
			transports: ['websocket'],
			reconnectionDelay: 1000,
			reconnectionDelayMax: 10_000
		});
		this.socket = s;
		s.on('connect', () => {
			this.state = 'online';
			this.failures = 0;
			if (this.opts.subscribe && !s.recovered) {
				s.emit('subscribe', { district }, (ack) => {
					if ('error' in ack) this.state = 'refused';
				});
			}
		});
		s.on('disconnect', (reason) => {
			this.state = 'reconnecting';
			if (reason === 'io server disconnect') this.retryLater();
		});
		s.on('connect_error', (e) => {
			// A revoked token: say so; keep trying slowly in case the administrator restores it.
			if (e.message === 'unauthorized' || e.message === 'forbidden') this.state = 'refused';
			else this.state = 'reconnecting';
			if (!s.active) this.retryLater();
		});
		s.on('snapshot', (x) => sink.snapshot(x));
		s.on('incident', (i) => i.district === district && sink.incident(i));
		s.on('incident:status', (m) => m.district === district && sink.status(m));
		s.on('aggregates', (d) => sink.aggregates(d));
		s.on('hotspots', (h) => sink.hotspots(h));
		s.on('hotspot:alert', (a) => (a.hotspot.district === district || a.hotspot.district === null) && sink.alert(a));
		s.on('server:version', ({ version }) => {
			if (version && version !== this.opts.version) location.reload();
		});
	}

	stop(): void {
		if (this.retry) clearTimeout(this.retry);
		this.retry = null;
		this.socket?.removeAllListeners();
		this.socket?.disconnect();
		this.socket = null;
	}

	private retryLater(): void {
		if (this.retry) return;
		this.retry = setTimeout(() => {
			this.retry = null;
			if (this.socket && !this.socket.connected) this.socket.connect();
		}, backoffMs(this.failures++, Math.random(), 2000, 60_000));
	}
}
