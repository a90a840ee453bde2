/**
 * The scenario generator's own randomness (nothing shared with server/simulate): a 32-bit PCG-style
 * generator, Gamma by Marsaglia–Tsang, Poisson by inversion (small means) or a rounded normal (large).
 */
export class Random {
	private state: bigint;
	constructor(seed: number) {
		this.state = BigInt(seed >>> 0) * 6364136223846793005n + 1442695040888963407n;
		for (let i = 0; i < 4; i++) this.next();
	}

	next(): number {
		this.state = (this.state * 6364136223846793005n + 1442695040888963407n) & 0xffff_ffff_ffff_ffffn;
		const x = Number((this.state >> 33n) & 0x7fff_ffffn);
		return x / 2_147_483_648;
	}

	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	pick<T>(xs: readonly T[]): T {
		return xs[this.int(xs.length)]!;
	}

	normal(): number {
		const u = Math.max(this.next(), 1e-12);
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
	}

	gamma(shape: number, scale = 1): number {
		if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(Math.max(this.next(), 1e-12), 1 / shape);
		const d = shape - 1 / 3;
		const c = 1 / Math.sqrt(9 * d);
		for (;;) {
			const x = this.normal();
			const v = (1 + c * x) ** 3;
			if (v <= 0) continue;
			if (Math.log(Math.max(this.next(), 1e-12)) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
		}
	}

	poisson(mean: number): number {
		if (mean <= 0) return 0;
		if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
		const l = Math.exp(-mean);
		let k = 0;
		let p = 1;
		for (;;) {
			p *= this.next();
			if (p <= l) return k;
			k++;
		}
	}

	/** Negative binomial of the given mean and Var = mean + phi·mean². */
	negbin(mean: number, phi: number): number {
		return phi <= 0 ? this.poisson(mean) : this.poisson(this.gamma(1 / phi, mean * phi));
	}
}
