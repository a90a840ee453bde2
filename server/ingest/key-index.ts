/**
 * Which keys (incident ids, status-event keys) this installation has already acknowledged, decided without
 * a store round trip for a new key: a hash set warmed from the store at start holds every stored key, an
 * exact map holds the keys acknowledged but not yet written to the store (they sit in the local log), and a
 * bounded map remembers recently stored ones. Only a hash hit that neither map explains asks the store.
 *
 * Values carry what the live push needs later (the district of an incident), so a status event finds its
 * incident's scope without a lookup while that incident is recent.
 */
import { HashSet64 } from './hash-set.ts';

/** Recently stored keys kept exactly (a re-sent batch is usually recent). */
const RECENT_MAX = 100_000;

export interface KeyVerdict {
	/** Keys seen before: duplicates. */
	known: Set<string>;
	/** The store could not be asked about these hash hits: the log writer checks them before its insert. */
	unverified: Set<string>;
}

export class KeyIndex<V> {
	private readonly hashes: HashSet64;
	private readonly pending = new Map<string, V>();
	private readonly recent = new Map<string, V>();

	constructor(
		/** Which of these keys the store holds. */
		private readonly lookup: (keys: string[]) => Promise<Set<string>>,
		maxSlots?: number
	) {
		this.hashes = new HashSet64(1 << 16, maxSlots);
	}

	get stats(): { keys: number; bytes: number; pending: number; saturated: boolean } {
		return { keys: this.hashes.size, bytes: this.hashes.bytes, pending: this.pending.size, saturated: this.hashes.saturated };
	}

	/** A key the store already holds (warm-up at start). */
	addStored(key: string): void {
		this.hashes.add(key);
	}

	async classify(keys: readonly string[]): Promise<KeyVerdict> {
		const known = new Set<string>();
		const ask: string[] = [];
		for (const k of keys) {
			if (!this.hashes.mayHave(k)) continue;
			if (this.pending.has(k) || this.recent.has(k)) known.add(k);
			else ask.push(k);
		}
		const unverified = new Set<string>();
		if (ask.length > 0) {
			try {
				for (const k of await this.lookup(ask)) known.add(k);
			} catch {
				for (const k of ask) unverified.add(k);
			}
		}
		return { known, unverified };
	}

	/** Acknowledged into the local log. */
	markPending(key: string, value: V): void {
		this.hashes.add(key);
		this.pending.set(key, value);
	}

	/** Written to the store: from the pending map to the bounded recent one. */
	markStored(key: string): void {
		const v = this.pending.get(key);
		if (v === undefined) return;
		this.pending.delete(key);
		this.recent.delete(key);
		this.recent.set(key, v);
		if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.keys().next().value!);
	}

	/** The value of a pending or recently stored key. */
	valueOf(key: string): V | undefined {
		return this.pending.get(key) ?? this.recent.get(key);
	}
}
