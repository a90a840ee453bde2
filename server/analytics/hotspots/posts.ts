/**
 * Which incidents are one post counted several times. A burst is "many residents", so copies must count
 * once: reposts and copies of one text (near-duplicate text), the same link, and one author posting again
 * and again within a short time. Incidents of a group count once in every zone and window.
 * - same `url` (query and fragment kept: two posts of one forum thread differ in them);
 * - same author hash, each post within `authorGapH` of the previous one of that author (a chain);
 * - near-duplicate text: the share of the shorter text's character 4-gram shingles found in the other
 *   (containment) ≥ `textSimilarity`, between texts of at least `minTextChars` letters after normalising
 *   case, punctuation and spacing. A repost adds «Репост:», a hashtag or a comment around the whole
 *   text: containment stays near 1 where Jaccard would fall with the length of the addition. Short
 *   texts («нет отопления») are not compared: six residents writing the same three words are six. Nor
 *   are texts naming two different addresses: the same words from nine houses are nine complaints
 *   (a suggested text, a form), a repost is about the place of its original.
 * Pure: a union–find over the incidents given.
 */
export interface PostLike {
	id: string;
	category: string;
	createdAt: number;
	text: string;
	url: string;
	/** Salted hash of the source's author id; '' when unknown. */
	author: string;
	/** The place it names, if any: a copy is about the same place as its original. */
	address?: string;
}

export interface PostRules {
	authorGapH: number;
	textSimilarity: number;
	minTextChars: number;
	/** Texts are compared only with posts of the same category at most this far apart in time. */
	textSpanH: number;
	/**
	 * … and only with the next this many of them: a storm's copies come close together and chain into one
	 * group (copy k meets k+1…k+200), while a busy day costs O(n·200), not O(n²). Exact copies are always caught.
	 */
	maxCompare: number;
}

export const POST_RULES: PostRules = { authorGapH: 6, textSimilarity: 0.8, minTextChars: 30, textSpanH: 24, maxCompare: 200 };

export function normaliseText(t: string): string {
	return t
		.toLowerCase()
		.replace(/ё/g, 'е')
		.replace(/https?:\/\/\S+/g, ' ')
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

export function shingles(norm: string, k = 4): Set<string> {
	const s = new Set<string>();
	for (let i = 0; i + k <= norm.length; i++) s.add(norm.slice(i, i + k));
	return s;
}

/** |A ∩ B| / min(|A|, |B|): how much of the shorter text the other one holds. */
export function containment<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
	const [small, big] = a.size <= b.size ? [a, b] : [b, a];
	if (small.size === 0) return 0;
	let inter = 0;
	for (const x of small) if (big.has(x)) inter++;
	return inter / small.size;
}

/** Shingles of texts seen recently: the live run regroups the same 24 h every minute. Bounded. */
interface Shingled {
	norm: string;
	/** Shingles as 32-bit FNV-1a hashes: number sets are several times faster to probe than strings. */
	sh: Set<number>;
	letters: number;
	/** The 8 smallest hashes: a text contained in another has most of its sketch there too. */
	sketch: number[];
}
const SHINGLE_CACHE = new Map<string, Shingled>();

const fnv = (x: string) => {
	let h = 0x811c9dc5;
	for (let i = 0; i < x.length; i++) h = Math.imul(h ^ x.charCodeAt(i), 0x01000193);
	return h >>> 0;
};

/** Cheap test first: if fewer than 5 of the shorter text's sketch are in the other, containment ≥ 0.8 is unlikely. */
function maybeContained(a: Shingled, b: Shingled): boolean {
	const [small, big] = a.sh.size <= b.sh.size ? [a, b] : [b, a];
	let hits = 0;
	for (const x of small.sketch) if (big.sh.has(x)) hits++;
	return hits >= Math.min(5, small.sketch.length);
}

function find(parent: number[], i: number): number {
	while (parent[i] !== i) {
		parent[i] = parent[parent[i]!]!;
		i = parent[i]!;
	}
	return i;
}

/** Group key of every incident (the id of its group's earliest member). */
export function groupPosts(posts: readonly PostLike[], rules: PostRules = POST_RULES): Map<string, string> {
	const order = posts.map((_, i) => i).sort((a, b) => posts[a]!.createdAt - posts[b]!.createdAt || posts[a]!.id.localeCompare(posts[b]!.id));
	const parent = posts.map((_, i) => i);
	const rank = new Array<number>(posts.length);
	order.forEach((i, r) => (rank[i] = r));
	const union = (a: number, b: number) => {
		const ra = find(parent, a);
		const rb = find(parent, b);
		if (ra === rb) return;
		// the earlier member stays the root, so the key is stable as posts arrive
		if (rank[ra]! <= rank[rb]!) parent[rb] = ra;
		else parent[ra] = rb;
	};
	const byUrl = new Map<string, number>();
	const lastByAuthor = new Map<string, number>();
	const gap = rules.authorGapH * 3_600_000;
	for (const i of order) {
		const p = posts[i]!;
		const url = p.url.trim();
		if (url) {
			const o = byUrl.get(url);
			if (o === undefined) byUrl.set(url, i);
			else union(o, i);
		}
		if (p.author) {
			const o = lastByAuthor.get(p.author);
			if (o !== undefined && p.createdAt - posts[o]!.createdAt <= gap) union(o, i);
			lastByAuthor.set(p.author, i);
		}
	}
	const byCategory = new Map<string, ({ i: number; place: string } & Shingled)[]>();
	const samePlace = (a: string, b: string) => a === '' || b === '' || a === b;
	for (const i of order) {
		const text = posts[i]!.text;
		let cached = SHINGLE_CACHE.get(text);
		if (!cached) {
			const norm = normaliseText(text);
			const sh = new Set([...shingles(norm)].map(fnv));
			cached = { norm, sh, letters: norm.replace(/\s/g, '').length, sketch: [...sh].sort((a, b) => a - b).slice(0, 8) };
			if (SHINGLE_CACHE.size >= 20_000) SHINGLE_CACHE.clear();
			SHINGLE_CACHE.set(text, cached);
		}
		if (cached.letters < rules.minTextChars) continue;
		const list = byCategory.get(posts[i]!.category) ?? [];
		list.push({ i, place: normaliseText(posts[i]!.address ?? ''), ...cached });
		byCategory.set(posts[i]!.category, list);
	}
	for (const list of byCategory.values()) {
		const span = rules.textSpanH * 3_600_000;
		// exact copies first (always, however many): the last copy of the same text within the span
		const exact = new Map<string, number>();
		for (const x of list) {
			const key = `${x.norm}\u0000${x.place}`;
			const o = exact.get(key);
			if (o !== undefined && posts[x.i]!.createdAt - posts[o]!.createdAt <= span) union(o, x.i);
			exact.set(key, x.i);
		}
		for (let a = 0; a < list.length; a++) {
			const x = list[a]!;
			for (let b = a + 1; b < list.length && b - a <= rules.maxCompare; b++) {
				const y = list[b]!;
				if (posts[y.i]!.createdAt - posts[x.i]!.createdAt > span) break;
				if (samePlace(x.place, y.place) && maybeContained(x, y) && containment(x.sh, y.sh) >= rules.textSimilarity) union(x.i, y.i);
			}
		}
	}
	const out = new Map<string, string>();
	for (let i = 0; i < posts.length; i++) out.set(posts[i]!.id, posts[find(parent, i)]!.id);
	return out;
}
