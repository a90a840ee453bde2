import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../src/lib/contract/incident.ts';
import { FeedBuffer } from '../../src/lib/live/feed-buffer.ts';
import { PulseQueue } from '../../src/lib/map/pulses.ts';

function view(id: string, minute: number, over: Partial<IncidentView> = {}): IncidentView {
	return {
		id,
		created_at: new Date(Date.UTC(2024, 2, 1, 9, minute)).toISOString(),
		district: 'industrialny',
		category: 'heating',
		source: 'vk',
		lat: 53.34,
		lon: 83.66,
		address: '',
		text: `text ${id}`,
		severity: 2,
		status: 'open',
		deadline_at: '2024-03-01T17:00:00.000Z',
		repeat_of: null,
		...over
	};
}

describe('FeedBuffer', () => {
	it('keeps the newest first and never holds an id twice', () => {
		const b = new FeedBuffer(10);
		expect(b.add(view('a', 1))).toBe(true);
		expect(b.add(view('c', 3))).toBe(true);
		expect(b.add(view('b', 2))).toBe(true);
		expect(b.add(view('a', 1))).toBe(false);
		expect(b.toArray().map((v) => v.id)).toEqual(['c', 'b', 'a']);
	});

	it('merges a snapshot after a reconnect without duplicating what was shown', () => {
		const b = new FeedBuffer(50);
		for (let i = 0; i < 20; i++) b.add(view(`live-${i}`, i));
		// The snapshot repeats the last 10 live ones and brings 5 missed while offline.
		const snap = [...Array.from({ length: 10 }, (_, i) => view(`live-${i + 10}`, i + 10)), ...Array.from({ length: 5 }, (_, i) => view(`missed-${i}`, 30 + i))];
		expect(b.merge(snap)).toBe(5);
		const ids = b.toArray().map((v) => v.id);
		expect(ids).toHaveLength(25);
		expect(new Set(ids).size).toBe(25);
		expect(ids[0]).toBe('missed-4');
	});

	it('stays within its bound and drops the oldest, refusing ones older than all it holds', () => {
		const b = new FeedBuffer(5);
		for (let i = 0; i < 1000; i++) b.add(view(`x-${i}`, i % 1440));
		expect(b.size).toBe(5);
		expect(b.add(view('ancient', 0))).toBe(false);
		expect(b.has('ancient')).toBe(false);
		// An evicted id may come back when it is new enough again: still no duplicates.
		const ids = b.toArray().map((v) => v.id);
		expect(new Set(ids).size).toBe(5);
	});

	it('updates a status in place and reports unknown ids', () => {
		const b = new FeedBuffer(5);
		b.add(view('a', 1));
		const before = b.toArray();
		expect(b.setStatus('a', 'responded')).toBe(true);
		expect(b.setStatus('a', 'responded')).toBe(false);
		expect(b.setStatus('zzz', 'resolved')).toBe(false);
		expect(b.toArray()[0]!.status).toBe('responded');
		expect(before[0]!.status).toBe('open');
	});

	it('rejects a non-positive bound', () => {
		expect(() => new FeedBuffer(0)).toThrow(RangeError);
	});
});

describe('PulseQueue', () => {
	it('is bounded and expires by age', () => {
		const q = new PulseQueue(3, 1000);
		const evicted = [];
		for (let i = 0; i < 5; i++) evicted.push(...q.add({ id: `p${i}`, lat: 0, lon: 0, severity: 2, at: i * 100 }));
		expect(q.size).toBe(3);
		expect(evicted.map((p) => p.id)).toEqual(['p0', 'p1']);
		expect(q.expire(1250).map((p) => p.id)).toEqual(['p2']);
		expect(q.all().map((p) => p.id)).toEqual(['p3', 'p4']);
	});
});
