import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import type { CityPublic } from '../../src/lib/contract/city.ts';
import type { DistrictStats, Hotspot, HourlyCount } from '../../src/lib/contract/snapshot.ts';
import { districtsOption } from '../../src/lib/charts/districts.ts';
import { hourAxis, hourlyOption, HOURS, topCategories } from '../../src/lib/charts/hourly.ts';
import { responseOption } from '../../src/lib/charts/response.ts';
import type { ChartContext } from '../../src/lib/charts/theme.ts';
import { weekOption } from '../../src/lib/charts/week.ts';
import { hotspotLine, placeName } from '../../src/lib/format/hotspot.ts';
import { createLabels } from '../../src/lib/format/labels.ts';
import { formatInt, formatMinutes, formatMinutesShort, plural } from '../../src/lib/format/number.ts';
import { formatAge, formatClock, formatHour, formatLocalDay } from '../../src/lib/format/time.ts';
import { focusBounds } from '../../src/lib/map/geometry.ts';
import { hotspotShapes } from '../../src/lib/map/hotspot-cells.ts';
import { districtStyle, pulseFrame, PULSE_MS, tensionColor, tensionLegend, TENSION_BANDS } from '../../src/lib/map/styles.ts';

const ctx: ChartContext = { tz: 'Asia/Barnaul', fontPx: 16, categoryLabel: (c) => `L:${c}` };
const TZ = 'Asia/Barnaul';

type Series = { id?: string; name?: string; data: unknown[]; stack?: string };
const seriesOf = (o: { series?: unknown }) => o.series as Series[];

const city = {
	categories: [
		{ code: 'heating', label: 'Отопление', deadline_hours: 8, urgent_deadline_hours: 4 },
		{ code: 'potholes', label: 'Ямы во дворах и на проездах', deadline_hours: 8, urgent_deadline_hours: 4 }
	],
	districts: [{ code: 'industrialny', name: 'Индустриальный', population: 1, population_year: 2021, population_note: '' }]
} satisfies Pick<CityPublic, 'categories' | 'districts'>;
const labels = createLabels(city);

function hotspot(over: Partial<Hotspot> = {}): Hotspot {
	return {
		id: 'h1',
		district: 'industrialny',
		kind: 'local',
		cells: [latLngToCell(53.3444, 83.6667, 9)],
		center: { lat: 53.3444, lon: 83.6667 },
		category: 'heating',
		count: 7,
		expected: 0.4,
		score: 5,
		started_at: '2024-03-01T06:00:00Z',
		growing: true,
		place: 'ул. Попова, 104',
		...over
	};
}

describe('formatting in Russian and in the city zone', () => {
	it('shows times in Asia/Barnaul whatever the machine zone', () => {
		expect(formatClock('2024-03-01T07:32:05Z', TZ)).toBe('14:32:05');
		expect(formatHour('2024-03-01T17:00:00Z', TZ)).toBe('00:00');
		expect(formatLocalDay('2024-03-05')).toBe('05.03');
	});

	it('formats numbers, plurals, durations and ages', () => {
		expect(formatInt(11032)).toBe('11\u00a0032');
		expect(formatInt(null)).toBe('—');
		expect([1, 2, 5, 11, 21, 22, 112].map((n) => plural(n, ['жалоба', 'жалобы', 'жалоб']))).toEqual(['жалоба', 'жалобы', 'жалоб', 'жалоб', 'жалоба', 'жалобы', 'жалоб']);
		expect(formatMinutes(45)).toBe('45 мин');
		expect(formatMinutes(185)).toBe('3 ч 05 мин');
		expect([45, 102, 3000].map(formatMinutesShort)).toEqual(['45 мин', '1,7 ч', '2 дн']);
		expect(formatAge(-5000)).toBe('0 с');
		expect(formatAge(12_000)).toBe('12 с');
		expect(formatAge(130 * 60_000)).toBe('2 ч 10 мин');
	});

	it('writes a hotspot as the wall reads it', () => {
		const now = Date.parse('2024-03-01T09:00:00Z');
		const line = hotspotLine(hotspot(), labels, now, TZ);
		expect(`${line.where}: ${line.what}`).toBe('Индустриальный район, ул. Попова: 7 жалоб на отопление за 3 ч (обычно 0,4)');
		expect(line.since).toBe('с 13:00');
		expect(placeName('пр. Ленина, д. 12а')).toBe('пр. Ленина');
		expect(hotspotLine(hotspot({ expected: 0.04 }), labels, now, TZ).what).toContain('(обычно менее 0,1)');
		const custom = hotspotLine(hotspot({ category: 'potholes', count: 2, place: undefined }), labels, now, TZ);
		expect(custom.what).toBe('2 жалобы (Ямы во дворах и на проездах) за 3 ч (обычно 0,4)');
		expect(custom.where).toBe('Индустриальный район');
		expect(labels.categoryShort('potholes')).toBe('Ямы во дворах…');
	});
});

describe('chart options', () => {
	it('draws the response band as p50 plus the p90 gap, in hours, with gaps for empty days', () => {
		const o = responseOption(
			[
				{ day: '2024-03-01', p50_min: 60, p90_min: 300, n: 10 },
				{ day: '2024-03-02', p50_min: null, p90_min: null, n: 0 },
				{ day: '2024-03-03', p50_min: 90, p90_min: 150, n: 4 }
			],
			ctx
		);
		const [base, band, p50] = seriesOf(o);
		expect(base!.data).toEqual([1, '-', 1.5]);
		expect(band!.data).toEqual([4, '-', 1]);
		expect(base!.stack).toBe(band!.stack);
		expect(p50!.data).toEqual([1, '-', 1.5]);
		expect((o.xAxis as { data: string[] }).data).toEqual(['01.03', '02.03', '03.03']);
	});

	it('stacks 48 hours by the top categories and folds the rest into «Прочее»', () => {
		const last = Date.parse('2024-03-01T10:00:00Z');
		const rows: HourlyCount[] = [];
		const cats = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
		cats.forEach((c, k) => rows.push({ hour: new Date(last - k * 3_600_000).toISOString(), category: c, n: 10 - k }));
		rows.push({ hour: new Date(last - 100 * 3_600_000).toISOString(), category: 'a', n: 99 });
		const axis = hourAxis(rows);
		expect(axis).toHaveLength(HOURS);
		expect(axis.at(-1)).toBe(last);
		expect(topCategories(rows)).toEqual(['a', 'b', 'c', 'd', 'e']);
		const o = hourlyOption(rows, ctx);
		const s = seriesOf(o);
		expect(s.map((x) => x.name)).toEqual(['L:a', 'L:b', 'L:c', 'L:d', 'L:e', 'Прочее']);
		expect(s.every((x) => x.data.length === HOURS && x.stack === 'hour')).toBe(true);
		// The row outside the 48 h window is not drawn; f, g and h (5 + 4 + 3) sit in «Прочее».
		const total = s.reduce((n, x) => n + (x.data as number[]).reduce((a, b) => a + b, 0), 0);
		expect(total).toBe(10 + 9 + 8 + 7 + 6 + 5 + 4 + 3);
		expect((s.at(-1)!.data as number[]).reduce((a, b) => a + b, 0)).toBe(12);
		expect((o.xAxis as { data: string[] }).data.at(-1)).toBe('17:00');
		expect(seriesOf(hourlyOption([], ctx))).toEqual([]);
	});

	it('compares the weeks for the biggest categories, largest at the top', () => {
		const rows = Array.from({ length: 12 }, (_, i) => ({ category: `c${i}`, this_week: i, last_week: 1 }));
		const o = weekOption(rows, ctx);
		const cats = (o.yAxis as { data: string[] }).data;
		expect(cats).toHaveLength(6);
		expect(cats.at(-1)).toBe('L:c11');
		const [last, cur] = seriesOf(o);
		expect(cur!.data.at(-1)).toBe(11);
		expect(last!.data.at(-1)).toBe(1);
	});

	it('colours district bars by tension and leaves out the unknown district', () => {
		const d = (code: string, tension: number, per: number | null): DistrictStats => ({ code, name: code, population: 1, today: 1, last_24h: 1, per_10k_24h: per, tension, open: 0, overdue: 0 });
		const o = districtsOption([d('central', 2.5, 1.234), d('unknown', 1, null), d('leninsky', 1, null)], ctx);
		const data = seriesOf(o)[0]!.data as { value: number; itemStyle: { color: string } }[];
		expect(data).toHaveLength(2);
		expect((o.yAxis as { data: string[] }).data).toEqual(['leninsky', 'central']);
		expect(data[1]).toEqual({ value: 1.2, itemStyle: { color: tensionColor(2.5) } });
		expect(data[0]!.value).toBe(0);
	});
});

describe('map styles and shapes', () => {
	it('colours tension by band with a legend for every band', () => {
		expect(tensionColor(0.5)).toBe(TENSION_BANDS[0]!.color);
		expect(tensionColor(1)).toBe(TENSION_BANDS[1]!.color);
		expect(tensionColor(3)).toBe(TENSION_BANDS.at(-1)!.color);
		expect(tensionColor(Number.NaN)).not.toBe(tensionColor(1));
		const legend = tensionLegend();
		expect(legend).toHaveLength(TENSION_BANDS.length);
		expect(legend[2]!.label).toBe('1,25–1,6 · выше обычного');
		expect(districtStyle(undefined, true).weight).toBeGreaterThan(districtStyle(undefined, false).weight);
	});

	it('pulses grow and fade, then end', () => {
		const a = pulseFrame(0, 2)!;
		const b = pulseFrame(PULSE_MS / 2, 2)!;
		expect(b.radius).toBeGreaterThan(a.radius);
		expect(b.opacity).toBeLessThan(a.opacity);
		expect(pulseFrame(PULSE_MS, 2)).toBeNull();
		expect(pulseFrame(0, 5, 2)!.radius).toBeGreaterThan(pulseFrame(0, 5, 1)!.radius);
	});

	it('turns H3 cells into hexagons around the right place and bounds the cells', () => {
		const [shape] = hotspotShapes([hotspot()]);
		const ring = shape!.rings[0]!;
		expect(ring).toHaveLength(6);
		for (const [lat, lon] of ring) {
			expect(Math.abs(lat - 53.3444)).toBeLessThan(0.01);
			expect(Math.abs(lon - 83.6667)).toBeLessThan(0.01);
		}
		const many = Array.from({ length: 30 }, (_, i) => hotspot({ id: `h${i}`, score: i, cells: Array.from({ length: 100 }, (_, k) => latLngToCell(53.3 + k * 0.001, 83.6 + i * 0.001, 9)).concat('not-a-cell') }));
		const shapes = hotspotShapes(many, 250);
		expect(shapes.reduce((n, s) => n + s.rings.length, 0)).toBe(250);
		expect(shapes[0]!.hotspot.id).toBe('h29');
	});

	it('fits one district or the whole city', () => {
		const bbox = { south: 53.17, west: 83.4, north: 53.47, east: 83.9 };
		const boundaries = {
			type: 'FeatureCollection' as const,
			schematic: true,
			features: [{ type: 'Feature' as const, properties: { code: 'x', name: 'X', schematic: true }, geometry: { type: 'Polygon' as const, coordinates: [[[83.6, 53.3], [83.7, 53.3], [83.7, 53.4], [83.6, 53.3]]] } }]
		};
		expect(focusBounds(boundaries, bbox, 'x')).toEqual([[53.3, 83.6], [53.4, 83.7]]);
		expect(focusBounds(boundaries, bbox, null)).toEqual([[53.3, 83.6], [53.4, 83.7]]);
		expect(focusBounds({ ...boundaries, features: [] }, bbox, null)).toEqual([[53.17, 83.4], [53.47, 83.9]]);
		expect(focusBounds(boundaries, bbox, 'nope')).toEqual([[53.3, 83.6], [53.4, 83.7]]);
	});
});
