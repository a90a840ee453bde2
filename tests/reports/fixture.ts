/**
 * A small city and a store with hand-made rows for report tests. The city mirrors Barnaul's five
 * districts with schematic square polygons, so the tests do not depend on the city pack's geometry.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { latLngToCell } from 'h3-js';
import type { CityPublic, DistrictFeature } from '../../src/lib/contract/city.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createStore, type Store } from '../../server/store/client.ts';
import { migrate } from '../../server/store/migrate.ts';

const DISTRICTS: Array<[string, string, number, number]> = [
	['central', 'Центральный', 53.33, 83.78],
	['zheleznodorozhny', 'Железнодорожный', 53.35, 83.74],
	['industrialny', 'Индустриальный', 53.36, 83.64],
	['leninsky', 'Ленинский', 53.38, 83.7],
	['oktyabrsky', 'Октябрьский', 53.37, 83.77]
];

function square(code: string, name: string, lat: number, lon: number): DistrictFeature {
	const d = 0.01;
	const ring = [
		[lon - d, lat - d],
		[lon + d, lat - d],
		[lon + d, lat + d],
		[lon - d, lat + d],
		[lon - d, lat - d]
	];
	return { type: 'Feature', properties: { code, name, schematic: true }, geometry: { type: 'Polygon', coordinates: [ring] } };
}

export const testCity: CityPublic = {
	code: 'barnaul',
	name: 'Барнаул',
	tz: 'Asia/Barnaul',
	center: { lat: 53.35, lon: 83.72 },
	bbox: { south: 53.17, west: 83.4, north: 53.47, east: 83.9 },
	districts: DISTRICTS.map(([code, name]) => ({ code, name, population: 100_000, population_year: 2021, population_note: '' })),
	categories: [
		{ code: 'heating', label: 'Отопление', deadline_hours: 8, urgent_deadline_hours: 4 },
		{ code: 'water', label: 'Водоснабжение и канализация', deadline_hours: 8, urgent_deadline_hours: 4 },
		{ code: 'roads', label: 'Дороги', deadline_hours: 8, urgent_deadline_hours: 4 },
		{ code: 'snow', label: 'Уборка снега и наледи', deadline_hours: 8, urgent_deadline_hours: 4 }
	],
	boundaries: { type: 'FeatureCollection', schematic: true, features: DISTRICTS.map(([c, n, la, lo]) => square(c, n, la, lo)) }
};

export function districtPoint(code: string): { lat: number; lon: number } {
	const d = DISTRICTS.find((x) => x[0] === code);
	if (!d) throw new Error(`no district ${code}`);
	return { lat: d[2], lon: d[3] };
}

export function cellAt(lat: number, lon: number): string {
	return BigInt('0x' + latLngToCell(lat, lon, 9)).toString();
}

export interface Row {
	id: string;
	district: string;
	created_at: string;
	deadline_at: string;
	category?: string;
	source?: string;
	/** Location: the district's centre unless given. */
	at?: { lat: number; lon: number } | null;
	address?: string;
	text?: string;
}

export async function insertIncidents(store: Store, rows: Row[]): Promise<void> {
	const values = rows.map((r) => {
		const loc = r.at === undefined ? districtPoint(r.district) : r.at;
		return {
			id: r.id,
			source: r.source ?? 'vk',
			created_at: r.created_at,
			received_at: r.created_at,
			category: r.category ?? 'heating',
			district: r.district,
			lat: loc?.lat ?? null,
			lon: loc?.lon ?? null,
			h3: loc ? cellAt(loc.lat, loc.lon) : '0',
			address: r.address ?? '',
			text: r.text ?? '',
			url: '',
			severity: 2,
			deadline_at: r.deadline_at
		};
	});
	await store.insert({ table: 'incidents', values, format: 'JSONEachRow' });
}

export async function insertResponses(store: Store, rows: Array<{ id: string; at: string }>): Promise<void> {
	const values = rows.map((r) => ({ incident_id: r.id, type: 'responded', at: r.at, received_at: r.at, executor: 'Комитет ЖКХ', comment: '' }));
	await store.insert({ table: 'incident_events', values, format: 'JSONEachRow' });
}

export async function freshStore(env: Record<string, string> = {}): Promise<{ config: Config; store: Store; dir: string }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcu-reports-'));
	const config = loadConfig({ MCU_DATA_DIR: dir, ...env });
	const store = await createStore(config);
	await migrate(store);
	return { config, store, dir };
}
