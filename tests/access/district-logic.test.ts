/** The district page's pure pieces: who may open it, the city average, filters, comparisons, safe links. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { principalFromRole } from '../../src/lib/contract/roles.ts';
import type { IncidentView } from '../../src/lib/contract/incident.ts';
import type { DistrictStats, Kpis } from '../../src/lib/contract/snapshot.ts';
import { districtAccess } from '../../src/lib/server/district-access.ts';
import { cityAverage } from '../../src/lib/server/city-average.ts';
import { readTokenLinks } from '../../src/lib/server/token-links.ts';
import { requestIsHttps, requestOrigin } from '../../src/lib/server/request-origin.ts';
import { DEFAULT_FILTER, listQuery, matchesFilter } from '../../src/lib/components/district/filters.ts';
import { compareTiles, verdictOf } from '../../src/lib/components/district/compare.ts';
import { acceptanceText } from '../../src/lib/components/district/acceptance.ts';
import { formatDateTime, safeUrl, timeline } from '../../src/lib/components/district/detail.ts';

const CODES = ['central', 'industrialny'];

describe('districtAccess', () => {
	it('decides 401 / 403 / 404 / ok for every kind of caller', () => {
		const status = (role: Parameters<typeof principalFromRole>[0] | null, code: string) => {
			const a = districtAccess(role ? principalFromRole(role) : null, code, CODES);
			return a.ok ? a.scope : a.status;
		};
		expect(status(null, 'central')).toBe(401);
		expect(status('ingest', 'central')).toBe(403);
		expect(status('district:industrialny', 'central')).toBe(403);
		// Refused before the lookup: a district token cannot probe which codes exist.
		expect(status('district:industrialny', 'atlantis')).toBe(403);
		expect(status('district:industrialny', 'industrialny')).toEqual({ district: 'industrialny' });
		expect(status('wall', 'central')).toEqual({ district: 'central' });
		expect(status('admin', 'industrialny')).toEqual({ district: 'industrialny' });
		expect(status('wall', 'atlantis')).toBe(404);
	});
});

function stats(code: string, x: Partial<DistrictStats>): DistrictStats {
	return { code, name: code, population: 100_000, today: 0, last_24h: 0, per_10k_24h: 0, tension: 1, open: 0, overdue: 0, ...x };
}
const KPIS: Kpis = { today: 30, today_usual: 25, open: 12, overdue: 4, median_response_min_today: 50, median_response_min_7d: 95.5, sla_share_7d: 0.8, repeat_share_30d: null };

describe('cityAverage', () => {
	it('averages counts per district and takes rates for the whole city (numbers by hand)', () => {
		const avg = cityAverage({
			as_of: '2024-03-01T00:00:00.000Z',
			kpis: KPIS,
			districts: [stats('a', { today: 10, open: 5, overdue: 1, last_24h: 20, population: 200_000 }), stats('b', { today: 20, open: 7, overdue: 2, last_24h: 10, population: 100_000 }), stats('c', { today: 3, open: 0, overdue: 0, last_24h: 5, population: null })]
		});
		// today (10+20+3)/3 = 11; open 12/3 = 4; overdue 3/3 = 1; per 10k: (20+10) / 300 000 × 10 000 = 1 (c has no population).
		expect(avg).toEqual({ districts: 3, today: 11, open: 4, overdue: 1, per_10k_24h: 1, median_response_min_7d: 95.5, sla_share_7d: 0.8, repeat_share_30d: null, as_of: '2024-03-01T00:00:00.000Z' });
	});

	it('has nothing to average without districts', () => {
		const avg = cityAverage({ as_of: 'x', kpis: { ...KPIS, sla_share_7d: null }, districts: [] });
		expect([avg.today, avg.per_10k_24h, avg.sla_share_7d]).toEqual([null, null, null]);
	});
});

describe('compareTiles', () => {
	it('says better or worse than the city, with a ±10 % band as «same»', () => {
		expect(verdictOf(20, 10, false)).toBe('worse');
		expect(verdictOf(5, 10, false)).toBe('better');
		expect(verdictOf(10.5, 10, false)).toBe('same');
		expect(verdictOf(0.9, 0.7, true)).toBe('better');
		expect(verdictOf(null, 10, false)).toBeNull();
		const tiles = compareTiles(KPIS, stats('a', { per_10k_24h: 2.5 }), { districts: 5, today: 10, open: 12, overdue: 8, per_10k_24h: 1.2, median_response_min_7d: 95, sla_share_7d: 0.9, as_of: '' });
		expect(tiles.map((t) => [t.key, t.value, t.city, t.verdict])).toEqual([
			['today', '30', '10', 'worse'],
			['per_10k', '2,5', '1,2', 'worse'],
			['open', '12', '12', 'same'],
			['overdue', '4', '8', 'better'],
			['response_7d', '1 ч 36 мин', '1 ч 35 мин', 'same'],
			['sla', '80\u00a0%', '90\u00a0%', 'worse']
		]);
	});

	it('adds the alert → acceptance tile only with outbound alerts, and says it in words', () => {
		const avg = { districts: 5, today: 10, open: 12, overdue: 8, per_10k_24h: 1.2, median_response_min_7d: 95, sla_share_7d: 0.9, as_of: '' };
		const mine = { sent: 4, accepted: 3, median_min: 12, p90_min: 40.4 };
		const city = { sent: 21, accepted: 20, median_min: 30, p90_min: 95 };
		const tiles = compareTiles({ ...KPIS, alert_acceptance_7d: mine }, stats('a', {}), { ...avg, alert_acceptance_7d: city });
		expect(tiles.at(-1)).toEqual({ key: 'acceptance_7d', label: 'Принято в\u00a0работу, медиана за\u00a07\u00a0дн', value: '12 мин', city: '30 мин', verdict: 'better' });
		expect(compareTiles(KPIS, stats('a', {}), avg).map((t) => t.key)).not.toContain('acceptance_7d');
		expect(acceptanceText(mine)).toBe('медиана 12 мин, 90\u00a0% — до 40 мин; принято 3 из 4 оповещений');
		expect(acceptanceText(city)).toBe('медиана 30 мин, 90\u00a0% — до 1 ч 35 мин; принято 20 из 21 оповещения');
		expect(acceptanceText({ sent: 2, accepted: 0, median_min: null, p90_min: null })).toBe('пока не принято ни одно из 2 оповещений');
		expect(acceptanceText(null)).toBe('оповещений не было');
	});
});

function view(x: Partial<IncidentView>): IncidentView {
	return { id: 'i', created_at: '2024-03-01T05:00:00.000Z', district: 'central', category: 'roads', source: 'vk', lat: null, lon: null, address: '', text: '', severity: 2, status: 'open', deadline_at: '2024-03-01T10:00:00.000Z', repeat_of: null, ...x };
}

describe('list filters', () => {
	const now = Date.parse('2024-03-02T05:00:00.000Z');
	it('make the cursor API query', () => {
		const q = listQuery('central', { status: 'overdue', category: 'roads', source: 'vk', period: '7d' }, now, 'abc', 30);
		expect(Object.fromEntries(q)).toEqual({ district: 'central', status: 'overdue', limit: '30', category: 'roads', source: 'vk', from: '2024-02-24T05:00:00.000Z', cursor: 'abc' });
		expect(Object.fromEntries(listQuery('central', { ...DEFAULT_FILTER, period: 'all' }, now, null, 30))).toEqual({ district: 'central', status: 'open', limit: '30' });
	});

	it('decide whether a live incident fits, as the server would', () => {
		const f = { status: 'open' as const, category: null, source: null, period: '24h' as const };
		expect(matchesFilter(view({}), 'central', f, now)).toBe(true);
		expect(matchesFilter(view({ district: 'leninsky' }), 'central', f, now)).toBe(false);
		expect(matchesFilter(view({ status: 'responded' }), 'central', f, now)).toBe(false);
		expect(matchesFilter(view({ created_at: '2024-02-28T05:00:00.000Z' }), 'central', f, now)).toBe(false);
		expect(matchesFilter(view({}), 'central', { ...f, status: 'overdue' }, now)).toBe(true);
		expect(matchesFilter(view({ deadline_at: '2024-03-03T00:00:00.000Z' }), 'central', { ...f, status: 'overdue' }, now)).toBe(false);
		expect(matchesFilter(view({}), 'central', { ...f, category: 'heating' }, now)).toBe(false);
		expect(matchesFilter(view({}), 'central', { ...f, source: 'phone' }, now)).toBe(false);
	});
});

describe('incident card', () => {
	it('links only http(s) sources', () => {
		expect(safeUrl('https://vk.com/wall-1_2')).toBe('https://vk.com/wall-1_2');
		expect(safeUrl('http://example.org/a')).toBe('http://example.org/a');
		expect(safeUrl('javascript:alert(1)')).toBeNull();
		expect(safeUrl('data:text/html,<b>x</b>')).toBeNull();
		expect(safeUrl('')).toBeNull();
		expect(safeUrl('не ссылка')).toBeNull();
	});

	it('orders the timeline from creation and shows Barnaul time', () => {
		const t = timeline({
			created_at: '2024-03-01T02:00:00.000Z',
			events: [
				{ incident_id: 'i', type: 'responded', at: '2024-03-01T04:00:00.000Z', executor: 'УК', comment: '' },
				{ incident_id: 'i', type: 'assigned', at: '2024-03-01T03:00:00.000Z', executor: 'Район', comment: 'передано' }
			]
		});
		expect(t.map((e) => e.kind)).toEqual(['created', 'assigned', 'responded']);
		// 02:00 UTC is 09:00 in Barnaul (UTC+7).
		expect(formatDateTime('2024-03-01T02:00:00.000Z', 'Asia/Barnaul')).toBe('01.03.2024, 09:00');
	});
});

describe('admin links and origins', () => {
	it('lists the tokens file in page order with the path each opens', () => {
		const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mcu-links-')), 'tokens.json');
		fs.writeFileSync(file, JSON.stringify({ t1aaaaaaaaaaaaaaaa: 'ingest', t2aaaaaaaaaaaaaaaa: 'district:industrialny', t3aaaaaaaaaaaaaaaa: 'admin', t4aaaaaaaaaaaaaaaa: 'district:central', t5aaaaaaaaaaaaaaaa: 'wall' }));
		expect(readTokenLinks(file, CODES).map((l) => [l.role, l.path])).toEqual([
			['admin', '/admin'],
			['wall', '/wall'],
			['district:central', '/district/central'],
			['district:industrialny', '/district/industrialny'],
			['ingest', null]
		]);
		fs.writeFileSync(file, 'not json');
		expect(readTokenLinks(file, CODES)).toEqual([]);
	});

	it('treats a request as HTTPS only when a proxy or the public URL says so', () => {
		const h = (x: Record<string, string>) => new Headers(x);
		expect(requestIsHttps(h({}), null)).toBe(false);
		expect(requestIsHttps(h({ 'x-forwarded-proto': 'https' }), null)).toBe(true);
		expect(requestIsHttps(h({}), 'https://pulse.example.ru')).toBe(true);
		expect(requestOrigin(h({}), new URL('https://10.0.0.5:3000/admin'), null)).toBe('http://10.0.0.5:3000');
		expect(requestOrigin(h({}), new URL('https://10.0.0.5:3000/admin'), 'https://pulse.example.ru/')).toBe('https://pulse.example.ru');
	});
});
