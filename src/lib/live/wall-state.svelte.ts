/**
 * The wall's reactive state. It only stores what the pure functions in wall-model.ts and FeedBuffer return;
 * `$state.raw` because every update replaces a value whole (no deep proxies over thousands of points).
 */
import type { IncidentStatusMessage } from '../contract/events';
import type { IncidentView } from '../contract/incident';
import type { Scope } from '../contract/roles';
import type { Hotspot, HotspotAlert, Snapshot, SnapshotDelta } from '../contract/snapshot';
import type { LiveSink } from './connection.svelte';
import { FeedBuffer } from './feed-buffer';
import { KpiHistory } from './kpi';
import {
	aggregatesFromSnapshot,
	applyDelta,
	EMPTY_AGGREGATES,
	expireAlerts,
	LIMITS,
	nextAlerts,
	rankHotspots,
	statusAfter,
	type Aggregates,
	type ShownAlert
} from './wall-model';

/** The feed is re-rendered at most this often while incidents stream in. */
const FEED_FLUSH_MS = 250;

/** How long an alert stays in the banner. */
export const ALERT_TTL_MS = 120_000;

type IncidentListener = (i: IncidentView) => void;

export class WallState {
	aggregates = $state.raw<Aggregates>(EMPTY_AGGREGATES);
	hotspots = $state.raw<Hotspot[]>([]);
	feed = $state.raw<IncidentView[]>([]);
	alerts = $state.raw<readonly ShownAlert[]>([]);
	/** Incidents received live since the page opened (for the soak figures). */
	received = $state(0);
	/** Client time the first snapshot arrived: the first render with data. */
	firstDataAt = $state<number | null>(null);

	readonly history = new KpiHistory();
	private buffer = new FeedBuffer(LIMITS.feed);
	private listeners = new Set<IncidentListener>();
	private feedDirty = false;
	private lastFlushAt = 0;

	constructor(private readonly scope: Scope = { district: null }) {}

	snapshot(s: Snapshot): void {
		if ((s.scope.district ?? null) !== this.scope.district) return;
		this.aggregates = aggregatesFromSnapshot(s);
		this.hotspots = rankHotspots(s.hotspots);
		if (this.buffer.merge(s.feed) > 0) this.flushFeed();
		this.history.push(Date.now(), s.kpis);
		this.firstDataAt ??= Date.now();
	}

	aggregatesDelta(d: SnapshotDelta): void {
		const next = applyDelta(this.aggregates, d, this.scope);
		if (next === this.aggregates) return;
		this.aggregates = next;
		if (d.kpis) this.history.push(Date.now(), d.kpis);
	}

	incident(i: IncidentView): void {
		if (!this.buffer.add(i)) return;
		this.received++;
		for (const fn of this.listeners) fn(i);
		// At 50 incidents a second the list is re-rendered a few times a second, not once per incident:
		// nobody reads faster, and every re-render is layout and paint on a 4K screen.
		// The first incident after a quiet spell shows on the next frame.
		if (!this.feedDirty) {
			this.feedDirty = true;
			const wait = Math.max(0, this.lastFlushAt + FEED_FLUSH_MS - Date.now());
			setTimeout(() => nextFrame(() => this.flushFeed()), wait);
		}
	}

	status(m: IncidentStatusMessage): void {
		const shown = this.feed.find((v) => v.id === m.incident_id);
		if (shown && this.buffer.setStatus(m.incident_id, statusAfter(m.type, shown.status))) this.flushFeed();
	}

	hotspotsUpdate(h: { scope: Scope; hotspots: Hotspot[] }): void {
		if ((h.scope.district ?? null) === this.scope.district) this.hotspots = rankHotspots(h.hotspots);
	}

	alert(a: HotspotAlert): void {
		this.alerts = nextAlerts(this.alerts, a, Date.now(), ALERT_TTL_MS);
	}

	/** Drops alerts past their time; called by the page's clock. */
	tick(now: number): void {
		this.alerts = expireAlerts(this.alerts, now, ALERT_TTL_MS);
	}

	/** The map's pulse layer listens here; returns the unsubscribe. */
	onIncident(fn: IncidentListener): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	/** What the connection delivers into (the state's own field names differ from the event names). */
	asSink(): LiveSink {
		return {
			snapshot: (s) => this.snapshot(s),
			incident: (i) => this.incident(i),
			status: (m) => this.status(m),
			aggregates: (d) => this.aggregatesDelta(d),
			hotspots: (h) => this.hotspotsUpdate(h),
			alert: (a) => this.alert(a)
		};
	}

	private flushFeed(): void {
		this.feedDirty = false;
		this.lastFlushAt = Date.now();
		this.feed = this.buffer.toArray();
	}
}

function nextFrame(fn: () => void): void {
	if (typeof requestAnimationFrame === 'function') requestAnimationFrame(fn);
	else setTimeout(fn, 16);
}
