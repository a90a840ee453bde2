import { describe, expect, it } from 'vitest';
import { validateEvents, validateIncidents, type ValidationCity } from '../../server/ingest/validate.ts';
import { bodyFormat, parseItems } from '../../server/ingest/body.ts';
import { BodyError, fromBodyError } from '../../server/http/errors.ts';

const city: ValidationCity = {
	categoryCodes: new Set(['heating', 'roads']),
	districts: [{ code: 'central' }, { code: 'industrialny' }],
	inBBox: (lat, lon) => lat > 53.2 && lat < 53.5 && lon > 83.5 && lon < 84
};
const NOW = Date.parse('2024-03-01T12:00:00Z');
const valid = { id: 'im-1', source: 'vk', created_at: '2024-03-01T09:15:00+07:00', category: 'heating' };

describe('incident validation', () => {
	it('accepts the contract example and fills nothing it was not given', () => {
		const r = validateIncidents([{ ...valid, lat: 53.3481, lon: 83.661, severity: 3, url: 'https://vk.com/wall-1_2' }], city, () => NOW);
		expect(r.ok).toBe(true);
		if (r.ok) expect(r.items[0]).toEqual({ ...valid, lat: 53.3481, lon: 83.661, severity: 3, url: 'https://vk.com/wall-1_2' });
	});

	it('lists every problem with its index and path, and rejects the whole batch', () => {
		const r = validateIncidents(
			[valid, { ...valid, id: '', source: 'myspace' }, { ...valid, category: 'aliens', lat: 53.3 }, { ...valid, created_at: '2024-03-01 09:15' }],
			city,
			() => NOW
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		const where = r.details.map((d) => `${d.index}:${d.path}`);
		expect(where).toEqual(expect.arrayContaining(['1:id', '1:source', '2:category', '2:lon', '3:created_at']));
		expect(where.some((w) => w.startsWith('0:'))).toBe(false);
	});

	it('refuses points outside the city, unknown fields, prototype keys and control characters', () => {
		const r = validateIncidents(
			[
				{ ...valid, lat: 55.75, lon: 37.6 },
				{ ...valid, colour: 'red' },
				JSON.parse('{"id":"x","source":"vk","created_at":"2024-03-01T09:15:00Z","category":"heating","__proto__":{"admin":true}}'),
				{ ...valid, text: 'a\u0000b' },
				{ ...valid, url: 'javascript:alert(1)' }
			],
			city,
			() => NOW
		);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.details.map((d) => d.index)).toEqual(expect.arrayContaining([0, 1, 2, 3, 4]));
		expect(({} as Record<string, unknown>).admin).toBeUndefined();
	});

	it('refuses dates far in the future or before 2000, and out-of-range severity', () => {
		const r = validateIncidents(
			[
				{ ...valid, created_at: '2024-03-02T12:00:00Z' },
				{ ...valid, created_at: '1999-12-31T23:59:59Z' },
				{ ...valid, created_at: '2024-02-30T10:00:00Z' },
				{ ...valid, severity: 6 },
				{ ...valid, severity: 2.5 }
			],
			city,
			() => NOW
		);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(new Set(r.details.map((d) => d.index))).toEqual(new Set([0, 1, 2, 3, 4]));
	});

	it('validates status events', () => {
		expect(validateEvents([{ incident_id: 'im-1', type: 'responded', at: '2024-03-01T11:02:00+07:00', executor: 'Комитет ЖКХ' }], () => NOW).ok).toBe(true);
		const bad = validateEvents([{ incident_id: 'im-1', type: 'closed', at: 'yesterday' }], () => NOW);
		expect(bad.ok).toBe(false);
		if (!bad.ok) expect(bad.details.map((d) => d.path).sort()).toEqual(['at', 'type']);
	});
});

describe('ingest body', () => {
	const status = (f: () => unknown) => {
		try {
			f();
		} catch (e) {
			// The body reader speaks in error codes; the HTTP layer maps them to statuses.
			return e instanceof BodyError ? fromBodyError(e).status : -1;
		}
		return 0;
	};

	it('reads one object, an array and NDJSON', () => {
		expect(parseItems(Buffer.from('{"a":1}'), 'json')).toEqual([{ a: 1 }]);
		expect(parseItems(Buffer.from('[{"a":1},{"a":2}]'), 'json')).toHaveLength(2);
		expect(parseItems(Buffer.from('{"a":1}\n\n{"a":2}\n'), 'ndjson')).toHaveLength(2);
	});

	it('answers 415 for other content types and 400 for broken JSON or UTF-8', () => {
		expect(status(() => bodyFormat('text/csv'))).toBe(415);
		expect(bodyFormat('application/json; charset=utf-8')).toBe('json');
		expect(status(() => parseItems(Buffer.from('{"a":'), 'json'))).toBe(400);
		expect(status(() => parseItems(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'json'))).toBe(400);
		expect(status(() => parseItems(Buffer.from('42'), 'json'))).toBe(400);
		expect(status(() => parseItems(Buffer.from('{"a":1}\nnope'), 'ndjson'))).toBe(400);
	});

	it('answers 413 past 10 000 items', () => {
		const many = Buffer.from(JSON.stringify(Array.from({ length: 10_001 }, () => ({}))));
		expect(status(() => parseItems(many, 'json'))).toBe(413);
	});
});
