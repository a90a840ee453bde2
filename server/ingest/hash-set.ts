/**
 * A set of 64-bit key hashes in two typed arrays (open addressing, linear probing): 8 bytes a slot, at most
 * 75 % full, so ten million ids fit in 2²⁴ slots (134 MB), against ~1 GB for a `Set<string>`. It answers
 * "certainly new" or "maybe seen": a hit is confirmed exactly by the caller (pending rows, the store).
 *
 * The table doubles up to `maxSlots`; past it the set is saturated and answers "maybe" for every key, so
 * correctness never depends on the bound, only the number of exact checks does.
 */

const MAX_LOAD = 0.75;

export class HashSet64 {
	private hi: Uint32Array;
	private lo: Uint32Array;
	private mask: number;
	private count = 0;
	private full = false;

	constructor(
		initialSlots = 1 << 16,
		private readonly maxSlots = 1 << 24
	) {
		const slots = pow2(Math.min(initialSlots, maxSlots));
		this.hi = new Uint32Array(slots);
		this.lo = new Uint32Array(slots);
		this.mask = slots - 1;
	}

	get size(): number {
		return this.count;
	}

	/** True once the bound is reached: every key is then "maybe seen". */
	get saturated(): boolean {
		return this.full;
	}

	get bytes(): number {
		return this.hi.byteLength + this.lo.byteLength;
	}

	/** False when the key is certainly not in the set. */
	mayHave(key: string): boolean {
		if (this.full) return true;
		const [h, l] = hash64(key);
		for (let i = slotOf(h, l, this.mask); ; i = (i + 1) & this.mask) {
			const sh = this.hi[i]!;
			const sl = this.lo[i]!;
			if (sh === 0 && sl === 0) return false;
			if (sh === h && sl === l) return true;
		}
	}

	add(key: string): void {
		if (this.full) return;
		if (this.count + 1 > this.lo.length * MAX_LOAD) {
			if (this.lo.length * 2 > this.maxSlots) {
				this.full = true;
				return;
			}
			this.grow();
		}
		const [h, l] = hash64(key);
		if (this.insert(h, l)) this.count++;
	}

	private insert(h: number, l: number): boolean {
		for (let i = slotOf(h, l, this.mask); ; i = (i + 1) & this.mask) {
			const sh = this.hi[i]!;
			const sl = this.lo[i]!;
			if (sh === h && sl === l) return false;
			if (sh === 0 && sl === 0) {
				this.hi[i] = h;
				this.lo[i] = l;
				return true;
			}
		}
	}

	private grow(): void {
		const oldHi = this.hi;
		const oldLo = this.lo;
		const slots = oldLo.length * 2;
		this.hi = new Uint32Array(slots);
		this.lo = new Uint32Array(slots);
		this.mask = slots - 1;
		for (let i = 0; i < oldLo.length; i++) {
			if (oldHi[i] !== 0 || oldLo[i] !== 0) this.insert(oldHi[i]!, oldLo[i]!);
		}
	}
}

function pow2(n: number): number {
	let p = 16;
	while (p < n) p *= 2;
	return p;
}

function slotOf(h: number, l: number, mask: number): number {
	return (Math.imul(h ^ l, 0x9e3779b1) >>> 0) & mask;
}

/** Two independent 32-bit FNV-1a hashes over UTF-16 units, each finished with murmur3's mixer; never 0/0. */
export function hash64(key: string): [number, number] {
	let a = 0x811c9dc5;
	let b = 0x01000193 ^ 0x5bd1e995;
	for (let i = 0; i < key.length; i++) {
		const c = key.charCodeAt(i);
		a = Math.imul(a ^ c, 0x01000193);
		b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
	}
	a = fmix(a ^ key.length);
	b = fmix(b + key.length);
	if (a === 0 && b === 0) b = 1;
	return [a >>> 0, b >>> 0];
}

function fmix(h: number): number {
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return h >>> 0;
}
