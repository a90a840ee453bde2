/** Hotspot passes on their own line: one at a time, requests during a pass share one more pass after it, spaced. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoalescedPass } from '../../server/analytics/coalesced-pass.ts';

/** A pass that blocks until released, counting starts. */
function gatedPass() {
	const releases: (() => void)[] = [];
	let starts = 0;
	let concurrent = 0;
	let maxConcurrent = 0;
	const pass = async () => {
		starts++;
		concurrent++;
		maxConcurrent = Math.max(maxConcurrent, concurrent);
		await new Promise<void>((r) => releases.push(r));
		concurrent--;
	};
	return { pass, releases, starts: () => starts, maxConcurrent: () => maxConcurrent };
}

const turns = async (n = 5) => {
	for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('CoalescedPass', () => {
	it('answers requests made during a pass with one pass that starts after it', async () => {
		const g = gatedPass();
		const p = new CoalescedPass(g.pass, () => undefined);
		const first = p.request();
		await turns();
		const done: string[] = [];
		const second = p.request().then(() => done.push('second'));
		const third = p.request().then(() => done.push('third'));
		expect(g.starts()).toBe(1);
		g.releases[0]!();
		await first;
		await turns();
		// The pass the later requests wait for has started, after the first ended; they are not answered yet.
		expect(g.starts()).toBe(2);
		expect(done).toEqual([]);
		g.releases[1]!();
		await Promise.all([second, third]);
		expect(done).toEqual(['second', 'third']);
		expect(g.starts()).toBe(2);
		expect(g.maxConcurrent()).toBe(1);
	});

	it('reports a failing pass and keeps serving requests', async () => {
		const errors: unknown[] = [];
		let calls = 0;
		const p = new CoalescedPass(async () => {
			calls++;
			if (calls === 1) throw new Error('store down');
		}, (err) => errors.push(err));
		await p.request();
		await p.request();
		expect(calls).toBe(2);
		expect(errors.map((e) => (e as Error).message)).toEqual(['store down']);
	});

	it('current() joins the pass already running instead of queueing another', async () => {
		const g = gatedPass();
		const p = new CoalescedPass(g.pass, () => undefined);
		void p.request();
		await turns();
		const joined = p.current();
		g.releases[0]!();
		await joined;
		expect(g.starts()).toBe(1);
	});

	it('close drops a queued pass and later requests; open takes them again', async () => {
		const g = gatedPass();
		const p = new CoalescedPass(g.pass, () => undefined);
		void p.request();
		await turns();
		void p.request();
		const closing = p.close();
		g.releases[0]!();
		await closing;
		await p.request();
		expect(g.starts()).toBe(1);
		p.open();
		const again = p.request();
		await turns();
		g.releases[1]!();
		await again;
		expect(g.starts()).toBe(2);
	});

	describe('spacing', () => {
		afterEach(() => {
			vi.useRealTimers();
		});

		it('starts a pass no sooner than the spacing after the last one ended', async () => {
			vi.useFakeTimers();
			let starts = 0;
			const p = new CoalescedPass(async () => void starts++, () => undefined, () => 1000);
			await p.request();
			expect(starts).toBe(1);
			const second = p.request();
			await vi.advanceTimersByTimeAsync(999);
			expect(starts).toBe(1);
			await vi.advanceTimersByTimeAsync(1);
			await second;
			expect(starts).toBe(2);
		});
	});
});
