/** Bulk batches one at a time through validation and normalisation; small submissions never wait. */
import { describe, expect, it } from 'vitest';
import { BulkGate } from '../../server/ingest/bulk-gate.ts';

function gated() {
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	return { gate, release };
}

describe('BulkGate', () => {
	it('runs bulk jobs one at a time, in arrival order, and lets small ones through at once', async () => {
		const g = new BulkGate();
		const seen: string[] = [];
		const first = gated();
		const a = g.through(1000, async () => {
			seen.push('bulk A starts');
			await first.gate;
			seen.push('bulk A ends');
		});
		const b = g.through(1000, async () => void seen.push('bulk B runs'));
		await new Promise((r) => setImmediate(r));
		expect(seen).toEqual(['bulk A starts']);
		const small = g.through(1, async () => void seen.push('lone incident runs'));
		await small;
		expect(seen).toEqual(['bulk A starts', 'lone incident runs']);
		first.release();
		await Promise.all([a, b]);
		expect(seen).toEqual(['bulk A starts', 'lone incident runs', 'bulk A ends', 'bulk B runs']);
	});

	it('a failing bulk job fails its own caller only', async () => {
		const g = new BulkGate();
		const failed = g.through(500, async () => {
			throw new Error('invalid batch');
		});
		const next = g.through(500, async () => 'stored');
		await expect(failed).rejects.toThrow('invalid batch');
		await expect(next).resolves.toBe('stored');
	});
});
