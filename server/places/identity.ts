/**
 * Place identity: which incidents happened at the same place, so a complaint that comes back to one house
 * can be told from a new one. Pure: the key is computed once at ingest and stored with the incident
 * (`incidents.place_key`), and the same function feeds the in-memory repeat index of the live push.
 *
 * Keys:
 * - `a:<street>|<house>` — a Russian address with a house number, normalised: case, ё/е, punctuation,
 *   spaces; street types (ул./улица, пр./пр-т/проспект, пер., б-р, ш., проезд, пл., тракт…) dropped, so
 *   «ул. Попова, д. 104а» = «Попова улица 104 А» = «улица попова,104-а»; house numbers «104а», «104 А»,
 *   «104-а», «лит. А» → `104а`; «104/2» kept; корпус and строение appended (`104к2`, `104с1`);
 *   flats, entrances and floors dropped (one building); the city, region and postcode dropped.
 * - `g:<H3 res 11>` — no usable address but a location: the H3 cell at resolution 11 (edge ~25 m), so
 *   points within about 30 m share a key.
 * - `n:<text>` — an address without a house number and without a location (a park, a settlement): the
 *   normalised text itself.
 * - `-` — nowhere: never the same place as anything.
 *
 * Knowingly wrong (documented, tested where it matters):
 * - The street type is not part of the key: «ул. Ленина 5» and «пр-т Ленина 5» are one place. People drop
 *   or swap the type far more often than a city has two streets of one name; where it does, those merge.
 * - Spelling variants of the name itself («Г. Исакова» / «Георгия Исакова», «Ленина» / «Ленинa» typed with a
 *   Latin «a») are different places.
 * - A corner building known by two addresses («Попова 104» and «Юрина 200») is two places.
 * - The location key is a grid: two reports 5 m apart on either side of a cell edge are two places, and
 *   two in one cell can be up to ~50 m apart. With an address the location is ignored.
 */
import { latLngToCell } from 'h3-js';

/** Resolution of the location key: edge ~25 m, cells ~43 m across. */
export const PLACE_H3_RESOLUTION = 11;
/** The key of an incident with neither an address nor a location. */
export const NO_PLACE = '-';

export interface PlaceInput {
	address?: string | null;
	lat?: number | null;
	lon?: number | null;
}

export interface PlaceOptions {
	/** City names to drop from addresses («Барнаул»), lower-case or not. */
	cityNames?: readonly string[];
}

/** Street-type words: dropped from the key (see above). «пр.» is read as проспект, like «пр-т». */
const STREET_TYPES = new Set([
	'ул', 'улица', 'пр', 'пр-т', 'прт', 'просп', 'проспект', 'пер', 'переулок', 'б-р', 'бр', 'бульв', 'бульвар',
	'ш', 'шоссе', 'пр-д', 'проезд', 'пл', 'площадь', 'тракт', 'тр-т', 'наб', 'набережная', 'туп', 'тупик',
	'аллея', 'мкр', 'мкрн', 'микрорайон', 'кв-л', 'квартал', 'им', 'имени'
]);
/** Words of the region and settlement level: never part of a building's identity. */
const REGION_WORDS = new Set(['россия', 'рф', 'алтайский', 'край', 'г', 'гор', 'город', 'обл', 'область', 'респ', 'республика']);
const HOUSE_WORDS = new Set(['д', 'дом']);
const CORPUS_WORDS = new Set(['к', 'корп', 'корпус', 'кор']);
const BUILDING_WORDS = new Set(['стр', 'строение', 'с']);
const LETTER_WORDS = new Set(['лит', 'литер', 'литера']);
/** Inside a building: everything from these words on (with their value) is dropped. */
const INSIDE_WORDS = new Set(['кв', 'квартира', 'оф', 'офис', 'под', 'подъезд', 'эт', 'этаж', 'пом', 'помещение', 'комн', 'комната']);

const HOUSE = /^(\d{1,4})([а-я])?(?:\/(\d{1,4}[а-я]?))?$/;

/** The stored place key of an incident. */
export function placeKey(input: PlaceInput, opts: PlaceOptions = {}): string {
	const address = (input.address ?? '').trim();
	const parsed = address ? parseAddress(address, opts) : null;
	if (parsed?.house) return `a:${parsed.street}|${parsed.house}`;
	if (input.lat != null && input.lon != null && Number.isFinite(input.lat) && Number.isFinite(input.lon)) {
		return `g:${latLngToCell(input.lat, input.lon, PLACE_H3_RESOLUTION)}`;
	}
	if (parsed && parsed.street) return `n:${parsed.street}`;
	return NO_PLACE;
}

export interface ParsedAddress {
	/** Normalised street (or place) name, words joined by one space; '' when none was found. */
	street: string;
	/** Normalised house number with its corpus/building, or null when the address has none. */
	house: string | null;
}

/** Splits a Russian address into a normalised street and house. */
export function parseAddress(address: string, opts: PlaceOptions = {}): ParsedAddress {
	const cities = new Set((opts.cityNames ?? []).map((c) => normaliseText(c)));
	const tokens = tokenize(address);
	const name: string[] = [];
	let house: string | null = null;
	let corpus = '';
	let building = '';
	let letter = '';
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i]!;
		const next = tokens[i + 1];
		if (INSIDE_WORDS.has(t)) break;
		if (/^\d{6}$/.test(t) || REGION_WORDS.has(t) || cities.has(t)) continue;
		if (STREET_TYPES.has(t)) continue;
		if (HOUSE_WORDS.has(t) && next && HOUSE.test(next)) continue;
		if (house !== null && CORPUS_WORDS.has(t) && next && /^\d{1,3}[а-я]?$/.test(next)) {
			corpus = next;
			i++;
			continue;
		}
		if (house !== null && BUILDING_WORDS.has(t) && next && /^\d{1,3}[а-я]?$/.test(next)) {
			building = next;
			i++;
			continue;
		}
		if (house !== null && LETTER_WORDS.has(t) && next && /^[а-я]$/.test(next)) {
			letter = next;
			i++;
			continue;
		}
		const m = HOUSE.exec(t);
		// A number is the house once a name is known; «40 лет Октября» keeps its leading number as a name word.
		if (m && name.length > 0 && house === null && !isNameNumber(tokens, i)) {
			house = m[1]! + (m[2] ?? '') + (m[3] ? `/${m[3]}` : '');
			// «104 А»: a lone letter right after the number is its letter.
			if (!m[2] && !m[3] && next && /^[а-я]$/.test(next) && !CORPUS_WORDS.has(next) && !BUILDING_WORDS.has(next)) {
				letter = next;
				i++;
			}
			continue;
		}
		if (house !== null) continue; // anything else after the house (a landmark, a note) is not identity
		name.push(t);
	}
	if (house !== null) {
		if (letter && !/[а-я]$/.test(house)) house += letter;
		if (corpus) house += `к${corpus}`;
		if (building) house += `с${building}`;
	}
	return { street: name.join(' '), house };
}

/** «40 лет Октября», «60 лет СССР»: a number followed by «лет» belongs to the street's name. */
function isNameNumber(tokens: string[], i: number): boolean {
	return tokens[i + 1] === 'лет' || tokens[i + 1] === 'летия';
}

/** Lower case, ё → е, Latin look-alikes of Cyrillic letters inside Cyrillic words left alone. */
function normaliseText(s: string): string {
	return s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/**
 * Tokens of an address: punctuation becomes a space except inside «104/2» and hyphenated words
 * («пр-т», «10-я»); glued forms are split («д.104» → д 104, «к2» → к 2, «104-а» → 104а).
 */
export function tokenize(address: string): string[] {
	let s = normaliseText(address);
	s = s.replace(/\s*\/\s*/g, '/');
	s = s.replace(/[«»"'`()\[\];:,.№#]/g, ' ');
	// «104-а», «104 - а» → «104а»; «104-2» stays a hyphen only when both sides are numbers (rare: treat as /).
	s = s.replace(/(\d)\s*-\s*([а-я])(?![а-я])/g, '$1$2');
	s = s.replace(/(\d)-(\d)/g, '$1/$2');
	// «д104», «к2», «корп2», «стр1», «лит» glued to a value.
	s = s.replace(/(^|\s)(д|дом|к|корп|корпус|стр|строение|кв|оф)(\d)/g, '$1$2 $3');
	// «104к2», «104стр1», «104кв5»: a marker glued to the house number.
	s = s.replace(/(\d[а-я]?)(к|корп|стр|кв)(\d)/g, '$1 $2 $3');
	s = s.replace(/\s+-\s+|^-\s*|\s*-$/g, ' ');
	return s.split(' ').filter((t) => t.length > 0 && t !== '-');
}
