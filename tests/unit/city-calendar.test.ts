import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WorkingCalendar, type CalendarData } from '../../server/city/calendar.ts';

const data = JSON.parse(fs.readFileSync(path.resolve('city/barnaul/calendar.json'), 'utf8')) as CalendarData;
const cal = new WorkingCalendar(data, 'Asia/Barnaul');
/** Barnaul wall-clock time (UTC+7, no DST) as an instant. */
const local = (s: string) => new Date(`${s}+07:00`);

describe('WorkingCalendar on known dates', () => {
	it('knows holidays, moved days off and working Saturdays', () => {
		expect(cal.isWorkingDay('2024-01-08')).toBe(false); // New Year holidays
		expect(cal.isWorkingDay('2024-01-09')).toBe(true);
		expect(cal.isWorkingDay('2024-04-27')).toBe(true); // a Saturday made a working day
		expect(cal.isWorkingDay('2024-04-29')).toBe(false); // a Monday made a day off
		expect(cal.isWorkingDay('2024-03-10')).toBe(false); // an ordinary Sunday
		expect(cal.isWorkingDay('2024-03-12')).toBe(true); // an ordinary Tuesday
		expect(cal.isWorkingDay('2025-11-04')).toBe(false);
	});

	it('makes pre-holiday days one hour shorter', () => {
		expect(cal.isShortDay('2024-02-22')).toBe(true);
		expect(cal.workingWindow('2024-02-22')).toEqual([9 * 3_600_000, 17 * 3_600_000]);
		expect(cal.workingWindow('2024-02-21')).toEqual([9 * 3_600_000, 18 * 3_600_000]);
		// Short day: 8 working hours from 09:00 end at 17:00; a ninth waits for Monday (23 Feb is a holiday).
		expect(cal.addWorkingHours(local('2024-02-22T09:00:00'), 8).toISOString()).toBe(local('2024-02-22T17:00:00').toISOString());
		expect(cal.addWorkingHours(local('2024-02-22T09:00:00'), 9).toISOString()).toBe(local('2024-02-26T10:00:00').toISOString());
	});

	it('adds working hours across a weekend', () => {
		// Friday 16:00 + 8 h = 2 h on Friday + 6 h on Monday → Monday 15:00.
		expect(cal.addWorkingHours(local('2024-03-15T16:00:00'), 8).toISOString()).toBe(local('2024-03-18T15:00:00').toISOString());
	});

	it('adds working hours across a holiday after a short day', () => {
		// Thu 7 Mar (short, to 17:00) 15:00 + 4 h: 2 h Thursday, 8 Mar holiday, weekend, 2 h on Monday 11 Mar.
		expect(cal.addWorkingHours(local('2024-03-07T15:00:00'), 4).toISOString()).toBe(local('2024-03-11T11:00:00').toISOString());
	});

	it('starts counting at the next opening when created off hours', () => {
		expect(cal.addWorkingHours(local('2024-03-12T06:30:00'), 1).toISOString()).toBe(local('2024-03-12T10:00:00').toISOString());
		expect(cal.addWorkingHours(local('2024-03-12T23:00:00'), 1).toISOString()).toBe(local('2024-03-13T10:00:00').toISOString());
		// New Year: from 29 Dec 2023 evening to the first working day of 2024.
		expect(cal.addWorkingHours(local('2023-12-29T20:00:00'), 2).toISOString()).toBe(local('2024-01-09T11:00:00').toISOString());
	});

	it('counts working minutes between instants', () => {
		expect(cal.workingMinutesBetween(local('2024-03-15T16:00:00'), local('2024-03-18T11:00:00'))).toBe(240);
		expect(cal.workingMinutesBetween(local('2024-03-16T10:00:00'), local('2024-03-17T10:00:00'))).toBe(0);
		expect(cal.workingMinutesBetween(local('2024-03-18T11:00:00'), local('2024-03-15T16:00:00'))).toBe(0);
	});

	it('falls back to statutory holidays for years without data', () => {
		expect(cal.isWorkingDay('2031-01-03')).toBe(false);
		expect(cal.isWorkingDay('2031-01-09')).toBe(true);
		expect(cal.isWorkingDay('2031-01-11')).toBe(false); // Saturday
	});

	it('gives the city-local date of an instant', () => {
		expect(cal.localDate(new Date('2024-03-15T17:30:00Z'))).toBe('2024-03-16');
		expect(cal.localDate(new Date('2024-03-15T16:59:00Z'))).toBe('2024-03-15');
	});

	it('addWorkingHours and workingMinutesBetween are inverse', () => {
		const start = Date.parse('2023-01-01T00:00:00Z');
		const span = Date.parse('2027-12-01T00:00:00Z') - start;
		fc.assert(
			fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.1, max: 60, noNaN: true }), (u, hours) => {
				const from = new Date(start + Math.floor(u * span));
				const to = cal.addWorkingHours(from, hours);
				expect(to.getTime()).toBeGreaterThan(from.getTime());
				expect(Math.abs(cal.workingMinutesBetween(from, to) - hours * 60)).toBeLessThan(1e-4) // Date keeps whole milliseconds;
			}),
			{ numRuns: 300 }
		);
	});
});
