/** The detector's input through the real engine: the last 24 h, newest first, bounded. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryHotspotRecent } from '../../server/analytics/queries/hotspot-recent.ts';
import { insertIncidents, openTestStore, type TestStore } from './support/store.ts';

const NOW = new Date('2024-03-11T05:00:00Z');
const H = 3_600_000;
let ts: TestStore;

beforeAll(async () => {
	ts = await openTestStore('mcu-hotspot-recent-');
	const at = (hoursAgo: number) => new Date(NOW.getTime() - hoursAgo * H);
	await insertIncidents(
		ts.store,
		[1, 2, 3, 5, 8, 23.9, 24.5, -1].map((h, k) => ({ id: `r${k}`, created_at: at(h), district: 'central', category: 'heating', deadline_at: at(h - 24), lat: 53.32, lon: 83.77, address: 'ул. Ленина, 1' }))
	);
});
afterAll(async () => ts?.close());

describe('queryHotspotRecent', () => {
	it('reads the incidents of the last 24 h, newest first', async () => {
		const rows = await queryHotspotRecent(ts.store, NOW);
		// r6 is 24.5 h old, r7 is an hour in the future
		expect(rows.map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
	});

	it('keeps only the newest when the bound cuts', async () => {
		const rows = await queryHotspotRecent(ts.store, NOW, 3);
		expect(rows.map((r) => r.id)).toEqual(['r0', 'r1', 'r2']);
	});
});
