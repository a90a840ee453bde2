/**
 * The live side of `repeat_of`: a bounded in-memory index of (place, category) → the latest incident seen
 * within the longest repeat window, so a freshly accepted incident is pushed with its `repeat_of` without a
 * store round trip on the acknowledgement path. Warmed from the store at start and fed by every incident the
 * pipeline accepts. What lists, details and KPIs show is computed in ClickHouse at query time
 * (queries/repeat-links.ts), which is authoritative; the index only has to agree for data arriving in
 * order. For an incident older than the latest one known at its place (late data, an import) it answers
 * `null` rather than guess.
 */
import { z } from 'zod';
import type { Store } from '../store/client.ts';
import { runQuery } from '../store/query.ts';
import { chTime, isoOut } from '../analytics/time.ts';
import { NO_PLACE } from './identity.ts';
import { HAS_PLACE, type RepeatWindows } from './windows.ts';

/** Enough for every (place, category) of ~10 M incidents a year within 30 days at ~100 bytes each: ~20 MB. */
export const REPEAT_INDEX_MAX = 200_000;
const DAY_MS = 86_400_000;

export interface ObservedIncident {
	id: string;
	category: string;
	created_at: string;
	place_key?: string;
}

interface Latest {
	id: string;
	at: number;
}

export class RepeatIndex {
	private readonly latest = new Map<string, Latest>();
	private readonly windowMs: Map<string, number>;

	constructor(
		private readonly windows: RepeatWindows,
		private readonly maxEntries = REPEAT_INDEX_MAX
	) {
		this.windowMs = new Map(windows.w_cats.map((c, i) => [c, windows.w_days[i]! * DAY_MS]));
	}

	get size(): number {
		return this.latest.size;
	}

	/** The incident this one repeats (as far as the index knows), recording it as the latest at its place. */
	observe(row: ObservedIncident): string | null {
		const place = row.place_key;
		if (!place || place === NO_PLACE) return null;
		const key = `${place}\u0000${row.category}`;
		const at = Date.parse(row.created_at);
		const prev = this.latest.get(key);
		const window = this.windowMs.get(row.category) ?? this.windows.w_def * DAY_MS;
		const repeatOf = prev && prev.at < at && at - prev.at <= window ? prev.id : null;
		if (!prev || at > prev.at || (at === prev.at && row.id > prev.id)) {
			// Re-inserted so the Map's order stays oldest-touched first: eviction drops the stalest place.
			this.latest.delete(key);
			this.latest.set(key, { id: row.id, at });
			while (this.latest.size > this.maxEntries) this.latest.delete(this.latest.keys().next().value!);
		}
		return repeatOf;
	}

	/** Loads the latest incident of every (place, category) of the longest window before `now`. */
	async warm(store: Store, now: Date): Promise<number> {
		const rows = await runQuery(store, WARM_NAME, WARM_SQL, { from: chTime(new Date(now.getTime() - this.windows.w_max * DAY_MS)), limit: this.maxEntries }, WarmRow);
		// Oldest first, so the newest end up last in the eviction order.
		for (let i = rows.length - 1; i >= 0; i--) {
			const r = rows[i]!;
			this.observe({ id: r.latest_id, category: r.category, place_key: r.place_key, created_at: isoOut(r.latest_at) });
		}
		return rows.length;
	}
}

const WARM_NAME = 'places.repeat_index_warm';
const WARM_SQL = `
SELECT place_key, category, argMax(id, (created_at, id)) AS latest_id, max(created_at) AS latest_at
FROM incidents
WHERE created_at > {from:DateTime64(3)} AND ${HAS_PLACE}
GROUP BY place_key, category
ORDER BY latest_at DESC
LIMIT {limit:UInt32}`;
const WarmRow = z.object({ place_key: z.string(), category: z.string(), latest_id: z.string(), latest_at: z.string() });
