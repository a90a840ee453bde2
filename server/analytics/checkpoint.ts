/**
 * Checkpoints of the per-incident response state, so a Snapshot does not join every incident ever
 * stored to its first response (`open` and `overdue` have no age limit). A checkpoint at instant `t`
 * holds each incident created by `t` that was open at `t`, or answered by `t` but created or answered
 * within KEEP of `t` (table analytics_ckpt_incidents, migration 010). A Snapshot at `now ≥ t` reads
 * those rows plus what happened in (`t`, `now`] (LIVE_INCIDENTS) and gets exactly the answers of the
 * full join:
 * - open/overdue: an incident open at `now` was open at `t` or created after it;
 * - response windows (30 days at most) and the 7-day SLA: a first response given or an incident
 *   created since `now` − 31 d is in the checkpoint as long as `now` − `t` ≤ KEEP − 31 d (MAX_LAG).
 * This holds only if nothing created or answered at or before `t` arrived after the checkpoint was
 * taken (late or out-of-order data). The meta row keeps how many such incidents and responses there
 * were; every Snapshot re-counts them (guard, a few ms) and a mismatch discards the checkpoint and
 * builds a new one, so late data costs a rebuild, never a wrong figure.
 * The first checkpoint is built in full (at 10 M incidents, seconds); later ones advance from the
 * previous one in the background, at the cost of about one Snapshot, once it is ADVANCE_AFTER old.
 */
import type { Store } from '../store/client.ts';
import { buildAdvance, buildFull, insertMeta, queryGuard, queryLatest, type CheckpointRow, type GuardCounts } from './queries/checkpoint.ts';

const MIN = 60_000;
const DAY = 86_400_000;
/** Incidents answered by `t` are kept when created or answered within this time before `t`. */
export const KEEP = 40 * DAY;
/** A checkpoint serves Snapshots up to this long after its `t` (30-day windows + a day + margin ≤ KEEP). */
export const MAX_LAG = 7 * DAY;
/**
 * A checkpoint is taken this long before `now`, so data arriving a little late (a forum read after the
 * post) stays after it instead of forcing a rebuild. Not longer: the incidents created since are
 * looked up by id in `incident_events`, which costs more the more there are (10 M a year: 30 min is
 * ~600 ids, ~0.1 s; 6 h, ~0.3 s). Data older than this arriving late costs a rebuild (a city's year:
 * tens of ms; 10 M incidents: seconds).
 */
export const TAKE_BEFORE = 30 * MIN;
/** Advance in the background once the checkpoint is this old (relative to `now`): about hourly. */
export const ADVANCE_AFTER = TAKE_BEFORE + 60 * MIN;
/** Wall-clock time a version is trusted; its rows expire by TTL after 3 days (migration 010). */
const TRUST = DAY;

export type Checkpoint = CheckpointRow;

export class Checkpoints {
	private current: Checkpoint | null = null;
	private loaded = false;
	private building: Promise<Checkpoint> | null = null;
	private lastVersion = 0;

	constructor(
		private readonly store: Store,
		private readonly onAdvanceError: (err: unknown) => void = () => {}
	) {}

	/** The newest checkpoint this process built or loaded, if any. */
	get latest(): Checkpoint | null {
		return this.current;
	}

	/** A checkpoint usable at `now`: the current one if it fits, else a new one built first. */
	async forSnapshot(now: Date): Promise<Checkpoint> {
		if (!this.loaded) {
			this.loaded = true;
			this.current = await queryLatest(this.store);
		}
		const c = this.current;
		if (c && this.fits(c, now)) return c;
		return this.build(now, null);
	}

	/** True when the rows the checkpoint summarises are unchanged (see the header). */
	static matches(c: Checkpoint, g: GuardCounts): boolean {
		return c.incidents === g.incidents && c.responses === g.responses;
	}

	/** Forget `c` (late data changed what it summarises) and build a new one for `now`. */
	async rebuild(c: Checkpoint, now: Date): Promise<Checkpoint> {
		if (this.current === c) this.current = null;
		return this.build(now, null);
	}

	/** Starts advancing when the checkpoint is old; never awaited by a Snapshot. */
	maybeAdvance(c: Checkpoint, now: Date): void {
		if (now.getTime() - c.t.getTime() < ADVANCE_AFTER || this.building) return;
		this.build(now, c).catch(this.onAdvanceError);
	}

	/** Resolves when no build is running (stop()). */
	async idle(): Promise<void> {
		await this.building?.catch(() => undefined);
	}

	private fits(c: Checkpoint, now: Date): boolean {
		const lag = now.getTime() - c.t.getTime();
		return lag >= 0 && lag <= MAX_LAG && Date.now() - c.builtMs < TRUST;
	}

	/** One build at a time; a caller that needs one while another runs waits for it and re-checks. */
	private async build(now: Date, from: Checkpoint | null): Promise<Checkpoint> {
		while (this.building) {
			const c = await this.building.catch(() => null);
			if (c && this.fits(c, now)) return c;
		}
		this.building = this.doBuild(now, from);
		try {
			const c = await this.building;
			if (!this.current || c.version > this.current.version) this.current = c;
			return c;
		} finally {
			this.building = null;
		}
	}

	private async doBuild(now: Date, from: Checkpoint | null): Promise<Checkpoint> {
		const t = new Date(now.getTime() - TAKE_BEFORE);
		const keepFrom = new Date(t.getTime() - KEEP);
		// Milliseconds × 1000 plus a random part: processes sharing a store never pick the same version.
		const newVersion = () => (this.lastVersion = Math.max(this.lastVersion + 1, Date.now() * 1000 + Math.floor(Math.random() * 1000)));
		let version = newVersion();
		// Counted before the rows are read: data arriving meanwhile makes the guard fail later (a
		// rebuild), never a checkpoint that silently misses it.
		const counts = await queryGuard(this.store, t);
		let advanced = false;
		if (from && from.t < t && this.fits(from, t) && Checkpoints.matches(from, await queryGuard(this.store, from.t))) {
			await buildAdvance(this.store, version, from, t, keepFrom);
			// the previous checkpoint must still have been valid while it was read
			advanced = Checkpoints.matches(from, await queryGuard(this.store, from.t));
		}
		if (!advanced) {
			// a failed advance may have written rows under its version: start a clean one
			if (from) version = newVersion();
			await buildFull(this.store, version, t, keepFrom);
		}
		const c: Checkpoint = { version, t, ...counts, builtMs: Date.now() };
		await insertMeta(this.store, c);
		return c;
	}
}
