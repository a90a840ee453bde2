/**
 * Live hotspot detection over the store: the baseline aggregates are re-read from ClickHouse at most
 * once an hour (they move slowly), the last 24 h on every run; detection, merging and the lifecycle
 * are the pure modules beside this one.
 */
import { tzOffset } from '@date-fns/tz';
import type { Hotspot } from '../../../src/lib/contract/snapshot.ts';
import type { Scope } from '../../../src/lib/contract/roles.ts';
import type { Store } from '../../store/client.ts';
import { queryHotspotCategories } from '../queries/hotspot-categories.ts';
import { queryHotspotCells } from '../queries/hotspot-cells.ts';
import { queryHotspotRecent } from '../queries/hotspot-recent.ts';
import { queryHotspotShape } from '../queries/hotspot-shape.ts';
import type { Baseline } from './baseline.ts';
import { buildBaseline } from './build-baseline.ts';
import { scoreZones, type RecentIncident } from './detect.ts';
import { HotspotTracker, type ScopedAlert } from './lifecycle.ts';
import { mergeZones } from './merge.ts';
import type { HotspotParams } from './params.ts';

const DAY = 86_400_000;
const BASELINE_TTL = 3_600_000;

export class HotspotEngine {
	private readonly tracker: HotspotTracker;
	private baseline: { builtAt: number; value: Baseline } | null = null;

	constructor(
		private readonly store: Store,
		private readonly tz: string,
		private readonly params: HotspotParams
	) {
		this.tracker = new HotspotTracker(params);
	}

	private async loadBaseline(now: number): Promise<Baseline> {
		if (this.baseline && now - this.baseline.builtAt < BASELINE_TTL && now >= this.baseline.builtAt) return this.baseline.value;
		const to = new Date(now - DAY);
		const spatialFrom = new Date(to.getTime() - this.params.spatialDays * DAY);
		const [cells, categories, shape] = [
			await queryHotspotCells(this.store, spatialFrom, to),
			await queryHotspotCategories(this.store, new Date(to.getTime() - this.params.categoryDays * DAY), to),
			await queryHotspotShape(this.store, spatialFrom, to, this.tz)
		];
		const firstMs = shape.length ? Math.min(...shape.map((r) => r.first_ms)) : null;
		const value = buildBaseline({ to: to.getTime(), firstMs, cells, categories, hourOfWeek: shape }, this.params, (ms) =>
			tzOffset(this.tz, new Date(ms))
		);
		this.baseline = { builtAt: now, value };
		return value;
	}

	/** One detection run as of `now`; returns the alerts it raised. */
	async run(now: Date): Promise<ScopedAlert[]> {
		const t = now.getTime();
		const baseline = await this.loadBaseline(t);
		const rows = await queryHotspotRecent(this.store, now);
		const recent: RecentIncident[] = rows.map((r) => ({
			id: r.id,
			cell: r.cell,
			category: r.category,
			address: r.address,
			district: r.district,
			createdAt: r.created_ms,
			lat: r.lat,
			lon: r.lon
		}));
		const detected = mergeZones(t, scoreZones(t, recent, baseline, this.params));
		return this.tracker.update(t, detected);
	}

	/** Open hotspots of a scope: all of them for the city, those touching the district otherwise. */
	list(scope: Scope): Hotspot[] {
		return this.tracker
			.current()
			.filter((h) => scope.district === null || h.districts.includes(scope.district))
			.map((h) => h.hotspot);
	}

}
