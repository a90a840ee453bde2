/** Names the wall shows for codes: categories, districts, sources, built from the city pack. */
import { SOURCE_LABELS, UNKNOWN_DISTRICT, type CityPublic } from '../contract/city';

/** Short category names for chart axes and the feed, where the full label does not fit. */
const SHORT: Record<string, string> = {
	heating: 'Отопление',
	water: 'Вода',
	housing: 'Дома и УК',
	roads: 'Дороги',
	snow: 'Снег',
	yard: 'Дворы',
	lighting: 'Освещение',
	waste: 'Мусор',
	transport: 'Транспорт',
	health: 'Здоровье',
	education: 'Образование',
	social: 'Соцзащита',
	ecology: 'Экология',
	safety: 'Безопасность',
	other: 'Прочее'
};

/** What a complaint is about, after «жалоб на …» (accusative). */
const ABOUT: Record<string, string> = {
	heating: 'отопление',
	water: 'водоснабжение и канализацию',
	housing: 'содержание домов',
	roads: 'дороги',
	snow: 'уборку снега и наледи',
	yard: 'благоустройство дворов',
	lighting: 'освещение',
	waste: 'мусор и свалки',
	transport: 'общественный транспорт',
	health: 'здравоохранение',
	education: 'образование',
	social: 'социальную защиту',
	ecology: 'экологию и животных',
	safety: 'безопасность'
};

export interface Labels {
	category(code: string): string;
	categoryShort(code: string): string;
	/** «на отопление», or «(Категория)» for a code without a phrase. */
	categoryAbout(code: string): string;
	district(code: string): string;
	/** «Индустриальный район». */
	districtFull(code: string): string;
	source(code: string): string;
}

export function createLabels(city: Pick<CityPublic, 'categories' | 'districts'>): Labels {
	const categories = new Map(city.categories.map((c) => [c.code, c.label]));
	const districts = new Map(city.districts.map((d) => [d.code, d.name]));
	const district = (code: string) =>
		districts.get(code) ?? (code === UNKNOWN_DISTRICT ? 'Район не определён' : code);
	const category = (code: string) => categories.get(code) ?? code;
	return {
		category,
		categoryShort: (code) => SHORT[code] ?? truncate(category(code), 14),
		categoryAbout: (code) => (ABOUT[code] ? `на ${ABOUT[code]}` : `(${category(code)})`),
		district,
		districtFull: (code) => {
			const name = district(code);
			return code === UNKNOWN_DISTRICT || /район/i.test(name) ? name : `${name} район`;
		},
		source: (code) => SOURCE_LABELS[code] ?? code
	};
}

function truncate(s: string, max: number): string {
	const chars = Array.from(s);
	return chars.length <= max ? s : chars.slice(0, max - 1).join('') + '…';
}
