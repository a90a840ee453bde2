import { describe, expect, it } from 'vitest';
import { latLngToCell } from 'h3-js';
import { NO_PLACE, parseAddress, placeKey } from '../../server/places/identity.ts';

const opts = { cityNames: ['Барнаул'] };
const key = (address: string) => placeKey({ address }, opts);

describe('place identity: one building, many spellings', () => {
	const popova104a = [
		'ул. Попова, 104а',
		'ул. Попова, д. 104а',
		'улица Попова, дом 104А',
		'Попова улица 104 А',
		'УЛ.ПОПОВА,Д.104-А',
		'г. Барнаул, ул. Попова, 104 а, кв. 15',
		'656000, Алтайский край, Барнаул, ул Попова д104а',
		'  ул.   Попова ,  104а  ',
		'Попова 104а, подъезд 2',
		'ул. Попова, 104 лит. А'
	];
	it.each(popova104a)('«%s» is Попова 104а', (a) => {
		expect(key(a)).toBe('a:попова|104а');
	});

	const table: [string, string][] = [
		['пр-т Ленина, 10', 'a:ленина|10'],
		['проспект Ленина, 10', 'a:ленина|10'],
		['пр. Ленина 10', 'a:ленина|10'],
		['Ленина, 10', 'a:ленина|10'],
		['Социалистический пр-т, 39', 'a:социалистический|39'],
		['пер. Ядринцева, 5', 'a:ядринцева|5'],
		['переулок Ядринцева д.5', 'a:ядринцева|5'],
		['б-р Мая, 3', 'a:мая|3'],
		['бульвар Мая 3', 'a:мая|3'],
		['Павловский тракт, 251', 'a:павловский|251'],
		['Змеиногорский тр-т 20', 'a:змеиногорский|20'],
		['ш. Ленинградское, 7', 'a:ленинградское|7'],
		['Ленинградское шоссе 7', 'a:ленинградское|7'],
		['ул. Пётр Сухова, 12', 'a:петр сухова|12'],
		['ул. Петр Сухова, 12', 'a:петр сухова|12'],
		['ул. Попова, 104/2', 'a:попова|104/2'],
		['ул. Попова, 104 / 2', 'a:попова|104/2'],
		['ул. Попова, 104, корп. 2', 'a:попова|104к2'],
		['ул. Попова, д. 104 к2', 'a:попова|104к2'],
		['ул. Попова 104к2', 'a:попова|104к2'],
		['ул. Попова, 104, корпус 2', 'a:попова|104к2'],
		['ул. Попова, 104, стр. 1', 'a:попова|104с1'],
		['ул. Попова, 104 строение 1', 'a:попова|104с1'],
		['ул. 40 лет Октября, 15', 'a:40 лет октября|15'],
		['40 лет Октября 15', 'a:40 лет октября|15'],
		['ул. 2-я Строительная, 5', 'a:2я строительная|5'],
		['2-я Строительная ул., д 5', 'a:2я строительная|5'],
		['ул. им. Антона Петрова, 221', 'a:антона петрова|221']
	];
	it.each(table)('«%s» → %s', (a, k) => {
		expect(key(a)).toBe(k);
	});

	it('tells different buildings apart', () => {
		const distinct = ['ул. Попова, 104', 'ул. Попова, 104а', 'ул. Попова, 104б', 'ул. Попова, 104/2', 'ул. Попова, 104 к2', 'ул. Попова, 106', 'ул. Юрина, 104'];
		expect(new Set(distinct.map(key)).size).toBe(distinct.length);
	});

	it('drops flats and what follows the house', () => {
		expect(parseAddress('ул. Попова, 104, кв. 7, 3 этаж')).toEqual({ street: 'попова', house: '104' });
	});
});

describe('place identity without a usable address', () => {
	const lat = 53.3481, lon = 83.661;
	it('uses the ~30 m grid cell of the location', () => {
		expect(placeKey({ lat, lon })).toBe(`g:${latLngToCell(lat, lon, 11)}`);
		// ~5 m away: the same cell here (knowingly not across a cell edge)
		expect(placeKey({ lat: lat + 0.00004, lon })).toBe(placeKey({ lat, lon }));
		// ~150 m away: another place
		expect(placeKey({ lat: lat + 0.0014, lon })).not.toBe(placeKey({ lat, lon }));
	});

	it('prefers the address over the location', () => {
		expect(placeKey({ address: 'ул. Попова, 104', lat, lon })).toBe('a:попова|104');
		expect(placeKey({ address: 'ул. Попова, 104', lat: 53.30, lon: 83.70 })).toBe('a:попова|104');
	});

	it('an address without a house number falls back to the location, then to the name', () => {
		expect(placeKey({ address: 'ул. Попова', lat, lon })).toBe(placeKey({ lat, lon }));
		expect(placeKey({ address: 'Парк «Изумрудный»' })).toBe('n:парк изумрудный');
		expect(placeKey({ address: 'парк Изумрудный' })).toBe('n:парк изумрудный');
	});

	it('nowhere is never a place', () => {
		expect(placeKey({})).toBe(NO_PLACE);
		expect(placeKey({ address: '  , . ' })).toBe(NO_PLACE);
		expect(placeKey({ address: 'г. Барнаул' }, opts)).toBe(NO_PLACE);
	});

	it('is knowingly wrong where documented: the street type is not part of the key', () => {
		expect(key('ул. Ленина, 5')).toBe(key('пр-т Ленина, 5'));
	});
});
