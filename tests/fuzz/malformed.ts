/**
 * Generators of malformed ingest payloads for property-based tests. Each one is invalid by construction:
 * a valid incident or status event with exactly one rule broken (a wrong type, a missing or unknown field,
 * a prototype-pollution key, an out-of-range coordinate or date, an over-long or control-character text…),
 * so a 2xx answer to any of them is a bug, never a lucky valid draw.
 */
import fc from 'fast-check';
import { SOURCES, EVENT_TYPES } from '../../src/lib/contract/incident.ts';

export const CATEGORIES = ['heating', 'water', 'housing', 'roads', 'snow', 'yard', 'lighting', 'waste', 'transport', 'health', 'education', 'social', 'ecology', 'safety', 'other'];
/** The Barnaul pack's bounding box. */
const BBOX = { south: 53.17, west: 83.4, north: 53.47, east: 83.9 };
const INCIDENT_FIELDS = ['id', 'source', 'created_at', 'category', 'district', 'lat', 'lon', 'address', 'text', 'url', 'severity', 'deadline_hours'];
const EVENT_FIELDS = ['incident_id', 'type', 'at', 'executor', 'comment'];

type Obj = Record<string, unknown>;

let seq = 0;
const recent = () => new Date(Date.now() - 3600_000).toISOString();

export function validIncident(): Obj {
	seq += 1;
	return {
		id: `fuzz-${process.pid}-${seq}`,
		source: 'vk',
		created_at: recent(),
		category: 'roads',
		lat: 53.3481,
		lon: 83.661,
		address: 'ул. Попова, 104',
		text: 'Яма на дороге',
		url: 'https://vk.com/wall-1_2',
		severity: 3
	};
}

export function validEvent(): Obj {
	seq += 1;
	return { incident_id: `fuzz-${process.pid}-${seq}`, type: 'responded', at: recent(), executor: 'Комитет', comment: 'ok' };
}

/** Any JSON value that is not a string. */
const notString = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 }));
/** Any JSON value that is not a finite number. */
const notNumber = fc.oneof(fc.string({ maxLength: 10 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({}));
const controlChar = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\u000b');
/** Keys that pollute prototypes in careless merges, and other unknown fields. */
export const hostileKey = fc.oneof(
	fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty', 'toString', 'valueOf', 'Id', 'ID', 'lng', 'latitude', 'districts'),
	fc.string({ minLength: 1, maxLength: 20 })
);

/** Timestamps that break the rules: wrong shapes, impossible dates, before 2000, in the future, no offset. */
export const badTimestamp = fc.oneof(
	fc.string({ maxLength: 40 }).filter((s) => !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(s)),
	fc.constantFrom('2024-02-30T10:00:00+07:00', '2023-13-01T00:00:00Z', '2024-04-31T00:00:00Z', '2024-01-01 10:00:00+07:00', '2024-01-01T10:00:00', '1999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '2024-01-01T25:00:00Z', '+275760-09-13T00:00:00.000Z', '2024-01-01T10:00:00+07:00' + 'x'),
	fc.integer({ min: 1, max: 5000 }).map((days) => new Date(Date.now() + days * 86_400_000).toISOString()),
	fc.integer({ min: 1970, max: 1999 }).map((y) => `${y}-06-15T12:00:00Z`),
	notString
);

/** A coordinate pair outside the city's box, or one of the pair missing or not a number. */
const badCoordinates = fc.oneof(
	fc.record({ lat: fc.double({ min: -1000, max: BBOX.south, noNaN: true, maxExcluded: true }), lon: fc.double({ min: BBOX.west, max: BBOX.east, noNaN: true }) }),
	fc.record({ lat: fc.double({ min: BBOX.north, max: 1000, noNaN: true, minExcluded: true }), lon: fc.double({ min: BBOX.west, max: BBOX.east, noNaN: true }) }),
	fc.record({ lat: fc.double({ min: BBOX.south, max: BBOX.north, noNaN: true }), lon: fc.double({ min: -1000, max: BBOX.west, noNaN: true, maxExcluded: true }) }),
	fc.record({ lat: fc.double({ min: BBOX.south, max: BBOX.north, noNaN: true }), lon: fc.double({ min: BBOX.east, max: 1e308, noNaN: true, minExcluded: true }) }),
	fc.record({ lat: fc.constant(53.35) }),
	fc.record({ lon: fc.constant(83.66) }),
	fc.record({ lat: notNumber, lon: fc.constant(83.66) }),
	fc.record({ lat: fc.constant(53.35), lon: notNumber })
);

type Mutation = (o: Obj) => Obj;

const set = (key: string, v: unknown): Mutation => (o) => ({ ...o, [key]: v });
const without = (key: string): Mutation => (o) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));
/** Adds an own property, even for `__proto__` (a computed key defines it instead of setting the prototype). */
const withKey = (key: string, v: unknown): Mutation => (o) => {
	const out: Obj = { ...o };
	Object.defineProperty(out, key, { value: v, enumerable: true, configurable: true, writable: true });
	return out;
};

export const incidentMutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.constantFrom('id', 'source', 'created_at', 'category').map(without),
	fc.tuple(fc.constantFrom('id', 'source', 'created_at', 'category', 'district', 'address', 'text', 'url'), notString).map(([k, v]) => set(k, v)),
	fc.tuple(fc.constantFrom('severity', 'deadline_hours'), notNumber).map(([k, v]) => set(k, v)),
	fc.string({ maxLength: 20 }).filter((s) => !(SOURCES as readonly string[]).includes(s)).map((s) => set('source', s)),
	fc.string({ maxLength: 20 }).filter((s) => !CATEGORIES.includes(s)).map((s) => set('category', s)),
	fc.string({ maxLength: 20 }).filter((s) => !['industrialny', 'leninsky', 'zheleznodorozhny', 'oktyabrsky', 'central', 'unknown'].includes(s)).map((s) => set('district', s)),
	badTimestamp.map((t) => set('created_at', t)),
	badCoordinates.map((c) => (o: Obj) => ({ ...without('lat')(without('lon')(o)), ...c })),
	fc.oneof(fc.integer({ min: -100, max: 0 }), fc.integer({ min: 6, max: 1e9 }), fc.double({ min: 1.01, max: 4.99, noInteger: true })).map((v) => set('severity', v)),
	fc.oneof(fc.double({ min: -1e6, max: 0 }), fc.double({ min: 2000.01, max: 1e12, noNaN: true })).map((v) => set('deadline_hours', v)),
	fc.constantFrom('', 'x'.repeat(129), 'a\nb', 'a\tb', 'a\u0000b').map((v) => set('id', v)),
	fc.tuple(fc.constantFrom(['address', 301] as const, ['text', 4001] as const), fc.string({ minLength: 1, maxLength: 3 })).map(([[k, n], s]) => set(k, s.repeat(Math.ceil(n / s.length) + 1))),
	fc.tuple(fc.constantFrom('address', 'text'), controlChar).map(([k, c]) => set(k, `до ${c} после`)),
	fc.constantFrom('javascript:alert(1)', 'ftp://x.ru/a', 'vk.com/wall', 'http://', 'https://a b', 'data:text/html,1', '').map((u) => set('url', u)),
	fc.tuple(hostileKey.filter((k) => !INCIDENT_FIELDS.includes(k)), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => withKey(k, v))
);

export const eventMutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.constantFrom('incident_id', 'type', 'at').map(without),
	fc.tuple(fc.constantFrom('incident_id', 'type', 'at', 'executor', 'comment'), notString).map(([k, v]) => set(k, v)),
	fc.string({ maxLength: 20 }).filter((s) => !(EVENT_TYPES as readonly string[]).includes(s)).map((s) => set('type', s)),
	badTimestamp.map((t) => set('at', t)),
	fc.constantFrom('', 'x'.repeat(129), 'a\nb', 'a\u0000b').map((v) => set('incident_id', v)),
	fc.tuple(fc.constantFrom(['executor', 201] as const, ['comment', 2001] as const), fc.string({ minLength: 1, maxLength: 3 })).map(([[k, n], s]) => set(k, s.repeat(Math.ceil(n / s.length) + 1))),
	fc.tuple(fc.constantFrom('executor', 'comment'), controlChar).map(([k, c]) => set(k, `до ${c} после`)),
	fc.tuple(hostileKey.filter((k) => !EVENT_FIELDS.includes(k)), fc.jsonValue({ maxDepth: 2 })).map(([k, v]) => withKey(k, v))
);

/** A batch: up to five valid items with one broken item among them; as one object, an array or NDJSON. */
export function badBatch(valid: () => Obj, mutation: fc.Arbitrary<Mutation>) {
	return fc
		.record({ before: fc.nat({ max: 3 }), after: fc.nat({ max: 2 }), mutate: mutation, shape: fc.constantFrom('object', 'array', 'ndjson') })
		.map(({ before, after, mutate, shape }) => {
			const items = [...Array.from({ length: before }, valid), mutate(valid()), ...Array.from({ length: after }, valid)];
			if (shape === 'object' || (shape === 'array' && items.length === 1)) return { contentType: 'application/json', body: JSON.stringify(items.length === 1 ? items[0] : items) };
			if (shape === 'array') return { contentType: 'application/json', body: JSON.stringify(items) };
			return { contentType: 'application/x-ndjson', body: items.map((x) => JSON.stringify(x)).join('\n') };
		});
}

const validJsonBody = () => Buffer.from(JSON.stringify([validIncident()]));

/** Bodies broken below the item level: encoding, syntax, shape, nesting, content type. */
export const badBody: fc.Arbitrary<{ contentType: string; body: string | Buffer }> = fc.oneof(
	// Random bytes: not UTF-8, or not JSON, or not an object.
	fc.uint8Array({ maxLength: 200 }).map((b) => ({ contentType: 'application/json', body: Buffer.from(b) })),
	// Valid JSON made invalid UTF-8 by a stray byte.
	fc.tuple(fc.nat(), fc.constantFrom([0xff], [0xc3, 0x28], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf])).map(([at, bytes]) => {
		const b = validJsonBody();
		const i = at % b.length;
		return { contentType: 'application/json', body: Buffer.concat([b.subarray(0, i), Buffer.from(bytes), b.subarray(i)]) };
	}),
	// JSON that is not an object or an array of objects.
	fc.oneof(fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)), fc.constant([])).map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) })),
	// Truncated or garbled JSON.
	fc.tuple(fc.nat(), fc.string({ maxLength: 3 })).map(([cut, junk]) => {
		const s = JSON.stringify([validIncident(), validIncident()]);
		return { contentType: 'application/json', body: s.slice(0, cut % (s.length - 1)) + junk };
	}),
	// Deep nesting, at the top or inside a field.
	fc.integer({ min: 10, max: 30_000 }).map((d) => ({ contentType: 'application/json', body: '['.repeat(d) + ']'.repeat(d) })),
	fc.integer({ min: 10, max: 10_000 }).map((d) => ({ contentType: 'application/json', body: `{"id":"x","source":"vk","created_at":"${recent()}","category":"roads","text":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}` })),
	// NDJSON with a broken line (a line of only spaces is a blank line, skipped like an empty one: not broken).
	fc.tuple(fc.nat({ max: 3 }), fc.string({ minLength: 1, maxLength: 20 }).filter((s) => { if (s.trim() === '') return false; try { JSON.parse(s); return false; } catch { return true; } })).map(([n, junk]) => ({
		contentType: 'application/x-ndjson',
		body: [...Array.from({ length: n }, () => JSON.stringify(validIncident())), junk].join('\n')
	})),
	// A valid body under a content type the API does not take.
	fc
		.oneof(fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/jsonp', 'json', '', 'application/json-seq', 'text/json'), fc.string({ maxLength: 30 }))
		.filter((t) => !['application/json', 'application/x-ndjson', 'application/ndjson'].includes(t.split(';')[0]!.trim().toLowerCase()))
		.map((contentType) => ({ contentType, body: JSON.stringify(validIncident()) }))
);
