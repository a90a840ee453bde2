/** Which queued submissions form the next group commit. */
import { describe, expect, it } from 'vitest';
import { hasSmallBehindLarge, take, takeSmall } from '../../server/ingest/commit-order.ts';

const job = (name: string, rows: number) => ({ name, rows: new Array<number>(rows).fill(0) });
const names = (jobs: { name: string }[]) => jobs.map((j) => j.name);

describe('commit order', () => {
	it('takes from the head up to 50 000 rows, and always at least one job', () => {
		const q = [job('a', 30_000), job('b', 20_000), job('c', 1)];
		expect(names(take(q))).toEqual(['a', 'b']);
		expect(names(q)).toEqual(['c']);
		const huge = [job('x', 60_000), job('y', 1)];
		expect(names(take(huge))).toEqual(['x']);
	});

	it('sees a small submission waiting behind a large one, and only then', () => {
		expect(hasSmallBehindLarge([job('bulk', 1000), job('lone', 1)])).toBe(true);
		expect(hasSmallBehindLarge([job('lone', 1), job('bulk', 1000)])).toBe(false);
		expect(hasSmallBehindLarge([job('bulk', 1000), job('bulk2', 101)])).toBe(false);
		expect(hasSmallBehindLarge([job('a', 100), job('b', 1)])).toBe(false);
		expect(hasSmallBehindLarge([])).toBe(false);
	});

	it('takes the small ones in arrival order and leaves the large ones queued in theirs', () => {
		const q = [job('bulk1', 1000), job('lone1', 1), job('bulk2', 500), job('lone2', 100), job('lone3', 3)];
		expect(names(takeSmall(q))).toEqual(['lone1', 'lone2', 'lone3']);
		expect(names(q)).toEqual(['bulk1', 'bulk2']);
	});
});
