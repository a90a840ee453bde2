/**
 * Fixtures of the hotspot integration tests: a plain background history (about 25 incidents a day
 * over the city's districts, every one a different resident and text) and the shapes of a point of
 * tension, as rows for the real store. Deterministic (a small LCG of its own).
 */
import { cellToLatLng, latLngToCell } from 'h3-js';
import type { CityPack } from '../../../server/city/pack.ts';
import type { IncidentRow } from './store.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CATEGORIES = ['heating', 'housing', 'roads', 'snow', 'yard', 'waste', 'lighting', 'water', 'transport', 'other'];
const WORDS = (
	'батареи холодные двор не убран яма подъезд мусор темно крыша течёт автобус грязь лифт соседи ' +
	'вода ржавая снег сугробы наледь фонарь качели парковка газон собаки запах дым трубы подвал ' +
	'управляющая компания диспетчер звонили никто отвечает неделю утром вечером дети пенсионеры'
).split(' ');
const pick = (k: number, salt: number) => WORDS[Math.abs(Math.imul(k + 1, 2654435761) ^ Math.imul(salt + 7, 40503)) % WORDS.length]!;
/** Every resident writes their own words: ten of them drawn for this post. */
const ownText = (k: number) => Array.from({ length: 10 }, (_, j) => pick(k, j)).join(' ');

export function lcg(seed: number): () => number {
	let s = seed >>> 0;
	return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4_294_967_296);
}

/** A point of the city inside a district (rejection sampling in the districts' box). */
export function pointInCity(city: CityPack, next: () => number): { lat: number; lon: number; district: string } {
	for (;;) {
		const lat = 53.28 + next() * 0.14;
		const lon = 83.6 + next() * 0.25;
		const district = city.districtAt(lat, lon);
		if (district) return { lat, lon, district };
	}
}

let seq = 0;
export function resident(at: Date, p: { lat?: number | null; lon?: number | null; district: string }, category: string, over: Partial<IncidentRow> = {}): IncidentRow {
	seq += 1;
	return {
		id: `f${seq}`,
		created_at: at,
		deadline_at: new Date(at.getTime() + 8 * HOUR),
		district: p.district,
		category,
		lat: p.lat ?? null,
		lon: p.lon ?? null,
		address: '',
		text: ownText(seq),
		url: `https://vk.com/wall-1_${seq}`,
		author_hash: `author-${seq}`,
		...over
	};
}

/** `days` of plain background ending at `to`: `perDay` incidents a day, 15 % without coordinates. */
export function backgroundRows(city: CityPack, to: Date, days: number, perDay = 25, seed = 42): IncidentRow[] {
	const next = lcg(seed);
	const rows: IncidentRow[] = [];
	const n = Math.round(days * perDay);
	for (let k = 0; k < n; k++) {
		const at = new Date(to.getTime() - next() * days * DAY);
		const p = pointInCity(city, next);
		const located = next() > 0.15;
		rows.push(resident(at, located ? p : { district: p.district }, CATEGORIES[Math.floor(next() * CATEGORIES.length)]!));
	}
	return rows;
}

/** The centre of a res-9 cell of the city, with its district. */
export function cellPoint(city: CityPack, lat: number, lon: number): { lat: number; lon: number; district: string } {
	const [clat, clon] = cellToLatLng(latLngToCell(lat, lon, 9));
	return { lat: clat, lon: clon, district: city.districtAt(clat, clon)! };
}
