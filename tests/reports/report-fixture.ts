/**
 * A week with known numbers for the rendered-report tests (2024-W10 in Barnaul, UTC+7).
 * District k of the pack (0..4) gets 2·(k+1) incidents that week — 30 in all — every 12 h from
 * Monday 10:00 local, deadline 8 h after creation; the even ones are answered after 30 min, the odd
 * ones never (overdue). The week before has 2 per district (10). All incidents of the fifth
 * district sit in one spot: the week's one hot cell.
 * So: city 30 (+200 %), first response p50 = p90 = 30 min, in time 50 %, overdue 15.
 */
import type { CityPack } from '../../server/city/pack.ts';
import type { Store } from '../../server/store/client.ts';
import { parseWeek } from '../../server/reports/week.ts';
import { insertIncidents, insertResponses, type Row } from './fixture.ts';

export const WEEK = '2024-W10';
const HOUR = 3_600_000;

/** A point inside the district, found on a grid over the city's bbox. */
export function pointIn(city: CityPack, code: string): { lat: number; lon: number } {
	const { south, west, north, east } = city.bbox;
	for (let i = 1; i < 60; i++) {
		for (let j = 1; j < 60; j++) {
			const lat = south + ((north - south) * i) / 60;
			const lon = west + ((east - west) * j) / 60;
			if (city.districtAt(lat, lon) === code) return { lat, lon };
		}
	}
	throw new Error(`no point found in ${code}`);
}

export async function seedKnownWeek(store: Store, city: CityPack): Promise<void> {
	const w = parseWeek(WEEK, city.tz)!;
	const rows: Row[] = [];
	const answers: Array<{ id: string; at: string }> = [];
	city.districts.forEach((d, k) => {
		const spot = k === 4 ? pointIn(city, d.code) : null;
		for (let i = 0; i < 2 * (k + 1); i++) {
			const created = w.start.getTime() + 10 * HOUR + i * 12 * HOUR;
			const id = `w-${d.code}-${i}`;
			rows.push({
				id,
				district: d.code,
				created_at: new Date(created).toISOString(),
				deadline_at: new Date(created + 8 * HOUR).toISOString(),
				category: i % 3 === 0 ? 'heating' : 'roads',
				source: i % 2 === 0 ? 'vk' : 'telegram',
				at: spot,
				address: spot ? 'ул. Попова, 104' : '',
				text: `Обращение ${i} района ${d.name}`
			});
			if (i % 2 === 0) answers.push({ id, at: new Date(created + 30 * 60_000).toISOString() });
		}
		for (let i = 0; i < 2; i++) {
			const created = w.start.getTime() - 3 * 24 * HOUR + i * HOUR;
			rows.push({ id: `p-${d.code}-${i}`, district: d.code, created_at: new Date(created).toISOString(), deadline_at: new Date(created + 8 * HOUR).toISOString(), at: null });
		}
	});
	await insertIncidents(store, rows);
	await insertResponses(store, answers);
}
