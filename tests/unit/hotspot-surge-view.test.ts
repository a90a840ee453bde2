/** How the wall, the tablet and the map show a surge: a line naming its area, a shaded district, no cells. */
import { describe, expect, it } from 'vitest';
import type { Hotspot } from '../../src/lib/contract/snapshot.ts';
import { hotspotLine } from '../../src/lib/format/hotspot.ts';
import { createLabels } from '../../src/lib/format/labels.ts';
import { hotspotShapes } from '../../src/lib/map/hotspot-cells.ts';
import { districtStyle, SURGE_OUTLINE } from '../../src/lib/map/styles.ts';

const labels = createLabels({
	categories: [{ code: 'snow', label: 'Уборка снега и наледи', deadline_hours: 8, urgent_deadline_hours: 4 }],
	districts: [{ code: 'industrialny', name: 'Индустриальный', population: 1, population_year: 2021, population_note: '' }]
});
const surge = (over: Partial<Hotspot> = {}): Hotspot => ({
	id: 's1',
	district: 'industrialny',
	kind: 'surge',
	cells: [],
	center: { lat: 53.34, lon: 83.67 },
	category: 'snow',
	count: 40,
	expected: 0.8,
	score: 120,
	started_at: '2024-03-01T06:00:00Z',
	growing: true,
	window_h: 3,
	...over
});

describe('surge on the wall', () => {
	it('names its district or the whole city, with the word «всплеск», never a house', () => {
		const now = Date.parse('2024-03-01T09:00:00Z');
		const d = hotspotLine(surge({ place: 'ул. Попова, 104' }), labels, now, 'Asia/Barnaul');
		expect(d.surge).toBe(true);
		expect(d.where).toBe('Индустриальный район');
		expect(d.what.startsWith('всплеск: 40 жалоб')).toBe(true);
		const city = hotspotLine(surge({ district: null }), labels, now, 'Asia/Barnaul');
		expect(city.where).toBe('Весь город');
	});

	it('shades the district instead of drawing cells', () => {
		expect(hotspotShapes([surge()])[0]!.rings).toEqual([]);
		const s = districtStyle(undefined, false, true);
		expect(s).toMatchObject({ color: SURGE_OUTLINE, dashArray: '10 6' });
		expect(s.fillOpacity).toBeGreaterThan(districtStyle(undefined, false).fillOpacity);
	});
});
