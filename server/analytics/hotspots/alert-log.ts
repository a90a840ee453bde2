/** Writes raised hotspot alerts to `hotspot_log` (migration 021): the weekly report reads the week's surges from it. */
import type { HotspotAlert } from '../../../src/lib/contract/snapshot.ts';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';

export async function logAlerts(store: Store, at: Date, alerts: readonly HotspotAlert[]): Promise<void> {
	if (alerts.length === 0) return;
	await store.insert({
		table: 'hotspot_log',
		format: 'JSONEachRow',
		values: alerts.map((a) => ({
			at: chTime(at),
			id: a.hotspot.id,
			kind: a.hotspot.kind,
			alert: a.kind,
			district: a.hotspot.district ?? '',
			category: a.hotspot.category,
			count: a.hotspot.count,
			expected: a.hotspot.expected,
			score: a.hotspot.score,
			window_h: a.hotspot.window_h ?? 0,
			started_at: chTime(new Date(a.hotspot.started_at))
		})),
		clickhouse_settings: { log_comment: 'analytics.hotspot_log' }
	});
}
