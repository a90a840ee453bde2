/** ISO weeks in the city's zone, the schedule's week, and the report wording and map (pure parts). */
import { describe, expect, it } from 'vitest';
import { parseWeek, previousWeek, weekOf, weeksInYear } from '../../server/reports/week.ts';
import { lastScheduledRun, weekForRun } from '../../server/reports/schedule.ts';
import { PrintTickets } from '../../server/reports/ticket.ts';
import { countPdfPages } from '../../server/reports/render.ts';
import { changeTone, weekChange, weekRange, weekTitle } from '../../src/lib/reports/format.ts';
import { buildReportMap } from '../../src/lib/reports/map.ts';
import { dailyChartOption } from '../../src/lib/reports/daily-chart.ts';
import { testCity, cellAt, districtPoint } from './fixture.ts';

const TZ = 'Asia/Barnaul';

describe('ISO weeks in Asia/Barnaul (UTC+7, no DST)', () => {
	it('2024-W10 is Mon 4 March 00:00 to Mon 11 March 00:00 local', () => {
		const w = parseWeek('2024-W10', TZ)!;
		expect(w.start.toISOString()).toBe('2024-03-03T17:00:00.000Z');
		expect(w.end.toISOString()).toBe('2024-03-10T17:00:00.000Z');
		expect(w.days).toEqual(['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10']);
	});

	it('rejects what is not a week', () => {
		expect(parseWeek('2024-W00', TZ)).toBeNull();
		expect(parseWeek('2021-W53', TZ)).toBeNull(); // 2021 has 52 weeks
		expect(parseWeek('2020-W53', TZ)?.days[6]).toBe('2021-01-03');
		expect(parseWeek('2024-10', TZ)).toBeNull();
		expect(weeksInYear(2026)).toBe(53);
	});

	it('counts the week in the city zone, not in UTC', () => {
		// Sunday 23:30 UTC is already Monday 06:30 in Barnaul.
		expect(weekOf(new Date('2024-03-10T23:30:00Z'), TZ).week).toBe('2024-W11');
		expect(weekOf(new Date('2024-03-10T23:30:00Z'), 'UTC').week).toBe('2024-W10');
	});

	it('the previous week across a year boundary', () => {
		expect(previousWeek(new Date('2025-01-06T01:00:00Z'), TZ).week).toBe('2025-W01'); // W01 = 30 Dec 2024 – 5 Jan 2025
		expect(previousWeek(new Date('2024-12-30T01:00:00Z'), TZ).week).toBe('2024-W52');
		expect(previousWeek(new Date('2021-01-04T01:00:00Z'), TZ).week).toBe('2020-W53');
		expect(previousWeek(new Date('2024-01-01T01:00:00Z'), TZ).week).toBe('2023-W52');
	});

	it('a DST zone gets a 167-hour week where the clock springs forward; Barnaul always 168', () => {
		const berlin = parseWeek('2024-W13', 'Europe/Berlin')!;
		expect((berlin.end.getTime() - berlin.start.getTime()) / 3_600_000).toBe(167);
		const barnaul = parseWeek('2024-W13', TZ)!;
		expect((barnaul.end.getTime() - barnaul.start.getTime()) / 3_600_000).toBe(168);
	});
});

describe('the schedule', () => {
	it('Monday 08:00 Barnaul runs for the week before, also across New Year', () => {
		const now = new Date('2025-01-06T02:00:00Z'); // Monday 09:00 local
		const last = lastScheduledRun('0 8 * * 1', TZ, now)!;
		expect(last.toISOString()).toBe('2025-01-06T01:00:00.000Z'); // 08:00 local
		expect(weekForRun(last, TZ).week).toBe('2025-W01');
	});

	it('before 08:00 on Monday the last run is a week back (its report may be missing)', () => {
		const last = lastScheduledRun('0 8 * * 1', TZ, new Date('2025-01-06T00:30:00Z'))!;
		expect(last.toISOString()).toBe('2024-12-30T01:00:00.000Z');
		expect(weekForRun(last, TZ).week).toBe('2024-W52');
	});
});

describe('report wording', () => {
	it('week-over-week changes and date ranges in Russian', () => {
		expect(weekChange(30, 10)).toBe('+200\u00a0%');
		expect(weekChange(9, 10)).toMatch(/^[-−]10\u00a0%$/);
		expect(weekChange(10, 10)).toBe('0\u00a0%');
		expect(weekChange(3, 0)).toBe('новое');
		expect(weekChange(0, 0)).toBe('—');
		expect(changeTone(3, 1)).toBe('up');
		expect(weekRange('2024-03-04', '2024-03-10')).toBe('4–10 марта 2024');
		expect(weekRange('2024-02-26', '2024-03-03')).toBe('26 февраля – 3 марта 2024');
		expect(weekRange('2024-12-30', '2025-01-05')).toBe('30 декабря 2024 – 5 января 2025');
		expect(weekTitle('2025-W01')).toBe('1-я неделя 2025');
	});
});

describe('report map', () => {
	it('projects districts and hot cells into the box; a district focus frames that district', () => {
		const p = districtPoint('central');
		const hex = BigInt(cellAt(p.lat, p.lon)).toString(16);
		const hot = [{ cell: hex, district: 'central', count: 4, expected: 0, category: 'heating', place: '' }];
		const city = buildReportMap(testCity.boundaries, hot, null, { width: 500, height: 400 });
		expect(city.districts.map((d) => d.focus)).toEqual([true, true, true, true, true]);
		expect(city.cells).toHaveLength(1);
		const inBox = (x: number, y: number) => x >= 0 && x <= 500 && y >= 0 && y <= 400;
		for (const d of city.districts) expect(inBox(d.label.x, d.label.y)).toBe(true);
		const focused = buildReportMap(testCity.boundaries, hot, 'central', { width: 500, height: 400 });
		expect(focused.districts.filter((d) => d.focus).map((d) => d.code)).toEqual(['central']);
		// Framed on one 0.02° square instead of the whole city: the cell is drawn much larger.
		const span = (d: string) => {
			const xs = [...d.matchAll(/[ML]([\d.]+) /g)].map((m) => Number(m[1]));
			return Math.max(...xs) - Math.min(...xs);
		};
		expect(span(focused.cells[0]!.d)).toBeGreaterThan(2 * span(city.cells[0]!.d));
	});
});

describe('print tickets', () => {
	it('open one report for a short time only', () => {
		let now = new Date('2025-01-06T01:00:00Z');
		const tickets = new PrintTickets(() => now);
		const { exp, sig } = tickets.issue('2024-W10-abcd');
		expect(tickets.verify('2024-W10-abcd', exp, sig)).toBe(true);
		expect(tickets.verify('2024-W11-abcd', exp, sig)).toBe(false);
		expect(tickets.verify('2024-W10-abcd', String(Number(exp) + 1), sig)).toBe(false);
		expect(tickets.verify('2024-W10-abcd', exp, null)).toBe(false);
		expect(new PrintTickets(() => now).verify('2024-W10-abcd', exp, sig)).toBe(false); // another process's key
		now = new Date(now.getTime() + 121_000);
		expect(tickets.verify('2024-W10-abcd', exp, sig)).toBe(false);
	});
});

describe('countPdfPages', () => {
	it('counts page objects, not the page tree', () => {
		const pdf = Buffer.from('1 0 obj <</Type /Pages /Count 2>> 2 0 obj <</Type /Page /Parent 1 0 R>> 3 0 obj <</Type/Page>>', 'latin1');
		expect(countPdfPages(pdf)).toBe(2);
	});
});

describe('daily chart option', () => {
	it('bars for this week and a line for last week, one label per day', () => {
		const days = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08', '2024-03-09', '2024-03-10'].map((day, i) => ({ day, count: i, count_prev: 7 - i }));
		const o = dailyChartOption(days);
		expect(o.animation).toBe(false);
		expect(o.xAxis.data[0]).toBe('Пн\n04.03');
		expect(o.xAxis.data[6]).toBe('Вс\n10.03');
		expect(o.series.map((s) => [s.type, s.data])).toEqual([
			['bar', [0, 1, 2, 3, 4, 5, 6]],
			['line', [7, 6, 5, 4, 3, 2, 1]]
		]);
	});
});
