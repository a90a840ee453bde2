/**
 * A seeded random source (sfc32): the simulator is deterministic from a seed, so a year of history,
 * a test and a benchmark can all be reproduced exactly.
 */

export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;

	constructor(seed: number) {
		// splitmix32 spreads any integer seed over the four words of state.
		let s = seed >>> 0;
		const next = () => {
			s = (s + 0x9e3779b9) >>> 0;
			let z = s;
			z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
			z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
			return (z ^ (z >>> 16)) >>> 0;
		};
		this.a = next();
		this.b = next();
		this.c = next();
		this.d = next();
		for (let i = 0; i < 12; i++) this.next();
	}

	/** Uniform in [0, 1). */
	next(): number {
		const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
		this.d = (this.d + 1) >>> 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) >>> 0;
		this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
		this.c = (this.c + t) >>> 0;
		return t / 4294967296;
	}

	uniform(lo: number, hi: number): number {
		return lo + (hi - lo) * this.next();
	}

	int(lo: number, hiInclusive: number): number {
		return lo + Math.floor(this.next() * (hiInclusive - lo + 1));
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	normal(): number {
		// Box–Muller; 1 − u keeps the logarithm finite.
		const u = 1 - this.next();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
	}

	/** Log-normal with the given median and log-space sigma. */
	logNormal(median: number, sigma: number): number {
		return median * Math.exp(sigma * this.normal());
	}

	poisson(mean: number): number {
		if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
		const limit = Math.exp(-mean);
		let k = 0;
		let p = this.next();
		while (p > limit) {
			k++;
			p *= this.next();
		}
		return k;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)]!;
	}

	/** Picks a key with probability proportional to its weight. */
	weighted<K extends string | number>(weights: Readonly<Record<K, number>> | ReadonlyMap<K, number>): K {
		const entries: [K, number][] = weights instanceof Map ? [...weights.entries()] : (Object.entries(weights) as [K, number][]);
		const total = entries.reduce((s, [, w]) => s + w, 0);
		let r = this.next() * total;
		for (const [k, w] of entries) {
			r -= w;
			if (r < 0) return k;
		}
		return entries[entries.length - 1]![0];
	}
}

/** A stable 32-bit hash of a string (FNV-1a), for seeding per-street and per-run streams. */
export function hash32(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}
