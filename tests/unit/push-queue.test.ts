/** The live push queue: pushes leave after the current turn's continuations, in order, bounded. */
import { describe, expect, it } from 'vitest';
import { PushQueue } from '../../server/ingest/push-queue.ts';

const nextTurn = () => new Promise((r) => setImmediate(r));

describe('PushQueue', () => {
	it('sends after the promise continuations of the turn that queued them, in order', async () => {
		const seen: string[] = [];
		const q = new PushQueue();
		let answer!: () => void;
		const answered = new Promise<void>((r) => (answer = r)).then(() => seen.push('answer'));
		q.push(() => seen.push('incident 1'));
		q.push(() => seen.push('status of 1'));
		answer();
		q.push(() => seen.push('incident 2'));
		expect(seen).toEqual([]);
		await answered;
		await nextTurn();
		expect(seen).toEqual(['answer', 'incident 1', 'status of 1', 'incident 2']);
		expect(q.length).toBe(0);
	});

	it('keeps going past a push that throws', async () => {
		const seen: number[] = [];
		const q = new PushQueue();
		q.push(() => seen.push(1));
		q.push(() => {
			throw new Error('client gone');
		});
		q.push(() => seen.push(3));
		await nextTurn();
		expect(seen).toEqual([1, 3]);
	});

	it('sends the oldest slice at once, in order, once the queue is full', async () => {
		const seen: number[] = [];
		const q = new PushQueue(3, 2);
		for (let i = 1; i <= 3; i++) q.push(() => seen.push(i));
		expect(seen).toEqual([]);
		q.push(() => seen.push(4));
		expect(seen).toEqual([1, 2]);
		expect(q.length).toBe(2);
		await nextTurn();
		expect(seen).toEqual([1, 2, 3, 4]);
		expect(q.length).toBe(0);
	});

	it('sends a long queue in slices, letting other work of the event loop run between them, in order', async () => {
		const seen: string[] = [];
		const q = new PushQueue(100, 2);
		for (let i = 1; i <= 5; i++) q.push(() => seen.push(`push ${i}`));
		await nextTurn();
		expect(seen).toEqual(['push 1', 'push 2']);
		// A request's answer read now goes before the rest of the pushes.
		setImmediate(() => seen.push('answer'));
		await nextTurn();
		await nextTurn();
		await nextTurn();
		expect(seen).toEqual(['push 1', 'push 2', 'push 3', 'push 4', 'answer', 'push 5']);
		expect(q.length).toBe(0);
	});
});
