/**
 * An independent scenario generator for the hotspot benchmark. It shares no code and no assumptions with
 * server/simulate: its own randomness, daily rhythm (two peaks, 10:00 and 20:00 local), category mix
 * by season, negative-binomial days per district and category, clumped houses (geography.ts), posts
 * without coordinates, one person posting again, and repost storms. Bursts are injected one at a time.
 */
import { latLngToCell } from 'h3-js';
import type { RecentIncident } from '../../../server/analytics/hotspots/detect.ts';
import { buildHouses, loadDistricts, offset, type House } from './geography.ts';
import { Random } from './random.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFSET = 7 * HOUR; // Barnaul, no DST

export type Post = RecentIncident;

const WINTER: Record<string, number> = { heating: 0.2, snow: 0.12, housing: 0.14, roads: 0.09, yard: 0.07, waste: 0.08, lighting: 0.07, transport: 0.06, water: 0.07, other: 0.1 };
const SUMMER: Record<string, number> = { heating: 0.02, water: 0.15, housing: 0.12, roads: 0.18, yard: 0.16, waste: 0.12, lighting: 0.04, transport: 0.08, ecology: 0.05, other: 0.08 };
export const mixAt = (t: number) => {
	const m = new Date(t + OFFSET).getUTCMonth();
	return m >= 9 || m <= 3 ? WINTER : SUMMER;
};

const OPENERS = ['Здравствуйте', 'Добрый день', 'Помогите', 'Уже который день', 'Жители дома просят', 'Обращаюсь снова', 'Сколько можно', 'Прошу разобраться'];
const PROBLEMS: Record<string, string[]> = {
	heating: ['батареи ледяные', 'в квартире 14 градусов', 'отопление так и не дали', 'стояк холодный с утра', 'дети мёрзнут дома'],
	snow: ['двор не чистят', 'не пройти к подъезду', 'сугробы по пояс на тротуаре', 'наледь у остановки', 'с крыши свисают сосульки'],
	water: ['нет холодной воды', 'ржавая вода из крана', 'затопило подвал', 'течёт труба в подъезде', 'канализация переполнена'],
	roads: ['яма на проезжей части', 'разбитый асфальт', 'не работает светофор', 'колея после ремонта'],
	housing: ['управляющая компания не отвечает', 'в подъезде грязь', 'не работает лифт', 'протекает крыша'],
	yard: ['сломаны качели', 'во дворе лужа', 'парковка на газоне', 'сухие деревья во дворе'],
	waste: ['мусор не вывозят', 'контейнеры переполнены', 'свалка у гаражей'],
	lighting: ['во дворе темно', 'не горят фонари', 'мигает освещение на улице'],
	transport: ['автобус не пришёл', 'маршрутка пропала с линии', 'в трамвае холодно'],
	ecology: ['бродячие собаки', 'дым от костров', 'вонь с завода'],
	other: ['шумят соседи ночью', 'непонятно куда обращаться', 'на звонки никто не отвечает']
};
const CLOSERS = ['примите меры', 'когда это закончится?', 'звонили в диспетчерскую, без толку', 'просим помочь', 'фото прилагаю', ''];

export function residentText(category: string, rng: Random, address: string): string {
	const problems = PROBLEMS[category] ?? PROBLEMS['other']!;
	const where = address && rng.next() < 0.6 ? ` (${address})` : '';
	return `${rng.pick(OPENERS)}, ${rng.pick(problems)}${where}. ${rng.pick(problems)}, ${rng.pick(CLOSERS)} ${rng.int(1000)}`.trim();
}

/** Local hour profile (relative): quiet nights, a morning and an evening peak. */
function hourWeight(h: number): number {
	return 0.25 + Math.exp(-(((h - 10) / 2.5) ** 2)) + 0.8 * Math.exp(-(((h - 20) / 2) ** 2));
}
const HOUR_CUM = (() => {
	const c = [0];
	for (let h = 0; h < 24; h++) c.push(c[h]! + hourWeight(h));
	return c;
})();
function sampleHour(rng: Random): number {
	const x = rng.next() * HOUR_CUM[24]!;
	let h = 0;
	while (HOUR_CUM[h + 1]! < x) h++;
	return h + rng.next();
}

export interface World {
	houses: House[];
	byDistrict: Map<string, { houses: House[]; cum: number[] }>;
	districtShare: Map<string, number>;
	districts: string[];
	all: { houses: House[]; cum: number[] };
}

function cumulative(hs: House[]): number[] {
	const c: number[] = [];
	let s = 0;
	for (const h of hs) c.push((s += h.weight));
	return c;
}

export function pickHouse(set: { houses: House[]; cum: number[] }, rng: Random): House {
	const x = rng.next() * set.cum[set.cum.length - 1]!;
	let lo = 0;
	let hi = set.cum.length - 1;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (set.cum[mid]! < x) lo = mid + 1;
		else hi = mid;
	}
	return set.houses[lo]!;
}

export function buildWorld(cityDir: string, seed: number, housesPer100k = 400): World {
	const rng = new Random(seed);
	const shapes = loadDistricts(cityDir);
	const houses = buildHouses(shapes, rng, housesPer100k);
	const byDistrict = new Map<string, { houses: House[]; cum: number[] }>();
	for (const d of shapes) {
		const hs = houses.filter((h) => h.district === d.code);
		byDistrict.set(d.code, { houses: hs, cum: cumulative(hs) });
	}
	const pop = shapes.reduce((s, d) => s + d.population, 0);
	return {
		houses,
		byDistrict,
		districtShare: new Map(shapes.map((d) => [d.code, d.population / pop])),
		districts: shapes.map((d) => d.code),
		all: { houses, cum: cumulative(houses) }
	};
}

export interface BackgroundSpec {
	perDay: number;
	/** Negative-binomial dispersion of a district × category × day count: Var = μ + φμ². */
	phi: number;
	/** Share of posts without coordinates (half of them still name an address). */
	unlocated: number;
	/** One resident posting again 1–4 h later, another text: share of posts. */
	followUps: number;
	/** Repost storms a week: one post copied 6–14 times within 2 h. */
	stormsPerWeek: number;
}

let seq = 0;
const nextId = (tag: string) => `${tag}-${(seq++).toString(36)}`;

export function post(house: House | null, district: string, category: string, t: number, rng: Random, over: Partial<Post> = {}): Post {
	const located = house !== null;
	const address = house?.address ?? '';
	return {
		id: nextId('g'),
		cell: located ? latLngToCell(house.lat, house.lon, 9) : '',
		category,
		address,
		district,
		createdAt: Math.round(t),
		lat: located ? house.lat : 0,
		lon: located ? house.lon : 0,
		text: residentText(category, rng, address),
		url: `https://vk.com/wall-${rng.int(1e9)}_${rng.int(1e6)}`,
		author: `a${rng.int(5_000_000)}`,
		...over
	};
}

/** A repost storm: an original post and its copies (same text with a prefix, same url or its own). */
export function storm(world: World, t0: number, rng: Random, copies: number): Post[] {
	const house = pickHouse(world.all, rng);
	const category = pickCategory(mixAt(t0), rng);
	const original = post(house, house.district, category, t0, rng);
	const out = [original];
	for (let k = 0; k < copies; k++) {
		const prefix = rng.pick(['Репост: ', 'Поддерживаю! ', '#барнаул ', 'Это у нас! ', '']);
		out.push({
			...original,
			id: nextId('r'),
			createdAt: Math.round(t0 + rng.next() * 2 * HOUR),
			text: prefix + original.text,
			url: rng.next() < 0.5 ? original.url : `https://vk.com/wall-${rng.int(1e9)}_${rng.int(1e6)}`,
			author: `a${rng.int(5_000_000)}`
		});
	}
	return out;
}

export function pickCategory(mix: Record<string, number>, rng: Random): string {
	const entries = Object.entries(mix);
	let x = rng.next() * entries.reduce((s, [, w]) => s + w, 0);
	for (const [c, w] of entries) if ((x -= w) <= 0) return c;
	return entries[entries.length - 1]![0];
}

/** The background stream over [from, to), sorted by time. */
export function background(world: World, from: number, to: number, spec: BackgroundSpec, seed: number): Post[] {
	const rng = new Random(seed);
	const out: Post[] = [];
	for (let day = Math.floor((from + OFFSET) / DAY); day * DAY - OFFSET < to; day++) {
		const start = day * DAY - OFFSET;
		const weekday = new Date(start + OFFSET).getUTCDay();
		const dayFactor = weekday === 0 || weekday === 6 ? 0.75 : 1.07;
		const mix = mixAt(start);
		for (const d of world.districts) {
			const set = world.byDistrict.get(d)!;
			for (const [category, share] of Object.entries(mix)) {
				const n = rng.negbin(spec.perDay * world.districtShare.get(d)! * share * dayFactor, spec.phi);
				for (let k = 0; k < n; k++) {
					const t = start + sampleHour(rng) * HOUR;
					if (t < from || t >= to) continue;
					const house = pickHouse(set, rng);
					const located = rng.next() >= spec.unlocated;
					const p = post(located ? house : null, d, category, t, rng, located || rng.next() < 0.5 ? {} : { address: '' });
					out.push(p);
					if (rng.next() < spec.followUps) {
						const again = post(located ? house : null, d, category, t + (1 + rng.next() * 3) * HOUR, rng, { author: p.author, address: p.address });
						if (again.createdAt < to) out.push(again);
					}
				}
			}
		}
	}
	const storms = rng.poisson((spec.stormsPerWeek * (to - from)) / (7 * DAY));
	for (let k = 0; k < storms; k++) {
		const t0 = from + rng.next() * (to - from - 3 * HOUR);
		out.push(...storm(world, t0, rng, 6 + rng.int(9)));
	}
	return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export type Shape = 'building' | 'street' | 'no-address' | 'district-surge' | 'city-surge' | 'storm';

export interface Injection {
	shape: Shape;
	category: string;
	/** Null for a city-wide surge. */
	district: string | null;
	posts: Post[];
	start: number;
	end: number;
}

/** A local burst of `size` residents (distinct authors and texts), or a surge, or a repost storm. */
export function inject(world: World, shape: Shape, t0: number, size: number, rng: Random): Injection {
	const winter = mixAt(t0) === WINTER;
	const local = winter ? rng.pick(['heating', 'heating', 'water', 'housing']) : rng.pick(['water', 'water', 'roads', 'yard']);
	const centre = pickHouse(world.all, rng);
	const spreadOver = (n: number, hours: number) => Array.from({ length: n }, () => t0 + rng.next() * hours * HOUR).sort((a, b) => a - b);
	let posts: Post[] = [];
	let category = local;
	let district: string | null = centre.district;
	if (shape === 'building') {
		posts = spreadOver(size, 2).map((t) => {
			const p = offset(centre, rng.normal() * 10, rng.normal() * 10);
			return post({ ...centre, ...p }, centre.district, local, t, rng);
		});
	} else if (shape === 'street') {
		// houses along a straight street through the centre, at most 250 m either side
		const angle = rng.next() * Math.PI;
		posts = spreadOver(size, 3).map((t, k) => {
			const along = (rng.next() * 2 - 1) * 250;
			const p = offset(centre, Math.sin(angle) * along, Math.cos(angle) * along);
			return post({ ...centre, ...p, address: centre.address.replace(/\d+$/, String(2 + 2 * k)) }, centre.district, local, t, rng);
		});
	} else if (shape === 'no-address') {
		posts = spreadOver(size, 3).map((t) => {
			const r = Math.sqrt(rng.next()) * 300;
			const a = rng.next() * 2 * Math.PI;
			const p = offset(centre, Math.sin(a) * r, Math.cos(a) * r);
			return post({ ...centre, ...p, address: '' }, centre.district, local, t, rng, { address: '' });
		});
	} else if (shape === 'district-surge') {
		district = pickByShare(world, rng);
		category = pickCategory(mixAt(t0), rng);
		const set = world.byDistrict.get(district)!;
		posts = spreadOver(size, 3).map((t) => post(rng.next() < 0.85 ? pickHouse(set, rng) : null, district!, category, t, rng));
	} else if (shape === 'city-surge') {
		district = null;
		category = winter ? 'snow' : 'water';
		posts = spreadOver(size, 12).map((t) => {
			const h = pickHouse(world.all, rng);
			return post(rng.next() < 0.85 ? h : null, h.district, category, t, rng);
		});
	} else {
		posts = storm(world, t0, rng, size - 1).sort((a, b) => a.createdAt - b.createdAt);
		category = posts[0]!.category;
	}
	return { shape, category, district, posts, start: posts[0]!.createdAt, end: posts[posts.length - 1]!.createdAt };
}

function pickByShare(world: World, rng: Random): string {
	let x = rng.next();
	for (const [d, s] of world.districtShare) if ((x -= s) <= 0) return d;
	return world.districts[0]!;
}
