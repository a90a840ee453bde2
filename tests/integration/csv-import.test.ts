import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCityPack } from '../../server/city/pack.ts';
import { importCsv, parseCsv } from '../../server/ingest/csv-import.ts';
import { readMapping } from '../../server/ingest/csv-mapping.ts';
import { HttpSink } from '../../server/simulate/http-sink.ts';
import { PROJECT_ROOT, startApp, tempDir, type StartedApp } from '../helpers/app.ts';

const city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');
let app: StartedApp;
let sink: HttpSink;

beforeAll(async () => {
	app = await startApp({ pages: false });
	sink = new HttpSink({ url: app.url, token: app.tokens.ingest });
});
afterAll(async () => {
	await app?.stop();
});

/** Counts stored rows once what the API acknowledged has reached the store (ingest answers from its log). */
async function count(sql: string, params: Record<string, unknown> = {}): Promise<number> {
	await app.pipeline.drain();
	const r = await app.store.query({ query: sql, query_params: params, format: 'JSONEachRow', clickhouse_settings: { log_comment: 'test_count' } });
	return Number((await r.json<{ n: string }>())[0]!.n);
}

// A Russian export: «;», Russian headers and labels, local times, decimal commas, no ids.
const RUSSIAN = [
	'Дата создания;Источник;Категория;Район;Широта;Долгота;Адрес;Текст;Важность;Дата ответа;Исполнитель',
	'01.03.2024 09:15;ВКонтакте;Отопление;Индустриальный;53,3481;83,6610;ул. Попова, 104;Третий день нет отопления;3;01.03.2024 11:02;Комитет ЖКХ',
	'01.03.2024 10:40;Telegram;Дороги;;53,3533;83,7431;пр-т Строителей, 12;Яма на дороге;2;;',
	'',
	'02.03.2024 18:05;Платформа обратной связи;Уборка снега и наледи;Центральный район;;;;Двор не чищен;;;'
].join('\r\n');

describe('CSV import', () => {
	it('imports a UTF-8 file with Russian headers, and a second import adds nothing', async () => {
		const buf = Buffer.from('\uFEFF' + RUSSIAN, 'utf8');
		const before = await count('SELECT count() AS n FROM incidents');
		const first = await importCsv(buf, city, sink);
		expect(first.encoding).toBe('utf-8');
		expect(first.delimiter).toBe(';');
		expect(first.errors).toEqual([]);
		expect(first.rows).toBe(3);
		expect(first.imported).toBe(3);
		expect(first.events).toBe(1);
		expect(await count('SELECT count() AS n FROM incidents')).toBe(before + 3);
		expect(await count("SELECT count() AS n FROM incidents WHERE category = 'heating' AND district = 'industrialny' AND source = 'vk'")).toBe(1);
		// No district given: derived from the point (Железнодорожный's centre).
		expect(await count("SELECT count() AS n FROM incidents WHERE category = 'roads' AND district = 'zheleznodorozhny'")).toBe(1);
		// Local time 09:15 in Barnaul is 02:15 UTC.
		expect(await count("SELECT count() AS n FROM incidents WHERE category = 'heating' AND created_at = toDateTime64('2024-03-01 02:15:00', 3, 'UTC')")).toBe(1);
		expect(await count("SELECT count() AS n FROM incident_events WHERE type = 'responded' AND executor = 'Комитет ЖКХ'")).toBe(1);

		const again = await importCsv(buf, city, sink);
		expect(again.imported).toBe(0);
		expect(again.duplicates).toBe(3);
		expect(await count('SELECT count() AS n FROM incidents')).toBe(before + 3);
	});

	it('reads Windows-1251 with «,» and reports bad rows by line, importing the good ones', async () => {
		const lines = [
			'id,source,created_at,category,district,lat,lon,address,text',
			'csv-t-1,vk,2024-03-05T10:00:00+07:00,water,,53.3222,83.7783,"ул. Пушкина, 10","Нет воды, третий день"',
			'csv-t-2,vk,2024-03-05T11:00:00+07:00,потоп,,53.3222,83.7783,,Текст',
			'csv-t-3,vk,31.02.2024 10:00,water,,,,,Текст',
			'csv-t-4,vk,2024-03-05T12:00:00+07:00,water,,55.75,37.62,,Москва',
			'csv-t-5,ok,05.03.2024 13:00,Мусор и свалки,Октябрьский,,,,"Свалка во дворе,',
			'где гаражи"',
			'csv-t-6,vk,2024-03-05T14:00:00+07:00,water,,53.36,,,Без долготы'
		].join('\n');
		const buf = iconv.encode(lines, 'win1251');
		const report = await importCsv(buf, city, sink);
		expect(report.encoding).toBe('windows-1251');
		expect(report.delimiter).toBe(',');
		expect(report.rows).toBe(6);
		expect(report.imported).toBe(2);
		expect(report.errors.map((e) => e.line)).toEqual([3, 4, 5, 8]);
		expect(report.errors[0]!.message).toMatch(/category/);
		expect(report.errors[1]!.message).toMatch(/not a date/);
		expect(report.errors[2]!.message).toMatch(/bounding box/);
		expect(report.errors[3]!.message).toMatch(/lat and lon/);
		expect(await count("SELECT count() AS n FROM incidents WHERE id IN ('csv-t-1', 'csv-t-5')")).toBe(2);
		expect(await count("SELECT count() AS n FROM incidents WHERE id = 'csv-t-1' AND text = 'Нет воды, третий день'")).toBe(1);
		expect(await count("SELECT count() AS n FROM incidents WHERE id = 'csv-t-5' AND district = 'oktyabrsky' AND category = 'waste'")).toBe(1);
	});

	it('refuses a file with unknown or missing columns', () => {
		const r = parseCsv(Buffer.from('Номер;Цвет;Категория\n1;красный;heating\n'), city);
		expect(r.incidents).toEqual([]);
		expect(r.errors.map((e) => e.message).join(' ')).toMatch(/unknown column\(s\): Цвет/);
		expect(r.errors.map((e) => e.message).join(' ')).toMatch(/missing column: source/);
	});

	it('accepts the usual English column names of other systems, and refuses their own names without a mapping', () => {
		const r = parseCsv(Buffer.from('created_date,latitude,longitude,address,source,category\n2024-03-01T09:15:00+07:00,53.3481,83.661,"ул. Попова, 104",vk,heating\n'), city);
		expect(r.errors).toEqual([]);
		expect(r.incidents[0]).toMatchObject({ created_at: '2024-03-01T09:15:00+07:00', lat: 53.3481, lon: 83.661, address: 'ул. Попова, 104', source: 'vk', category: 'heating' });
		const raw = parseCsv(fs.readFileSync('tests/fixtures/service-requests-311.csv'), city);
		expect(raw.incidents).toEqual([]);
		expect(raw.errors[0]!.message).toMatch(/unknown column\(s\): borough, status/);
	});

	it('imports another system\'s export as it is with a mapping: columns, values, dates in its own format', async () => {
		const mapping = readMapping(path.join(PROJECT_ROOT, 'docs', 'import-mapping.example.json'));
		const buf = fs.readFileSync('tests/fixtures/service-requests-311.csv');
		const report = await importCsv(buf, city, sink, { mapping });
		expect(report.errors).toEqual([{ line: 6, message: 'created_at: "13/45/2024 09:30:00 AM" is not a date' }]);
		expect(report.imported).toBe(4);
		await app.pipeline.drain();
		const row = await app.store.query({
			query: "SELECT category, source, district, address, text, toString(created_at) AS created FROM incidents WHERE id = '59893918'",
			format: 'JSONEachRow',
			clickhouse_settings: { log_comment: 'test_csv_mapping' }
		});
		// 07:05:13 AM in Barnaul (UTC+7) is 00:05:13 UTC.
		expect(await row.json()).toEqual([{ category: 'heating', source: 'phone', district: 'industrialny', address: 'ул. Попова, 104', text: 'ENTIRE BUILDING', created: '2024-01-14 00:05:13.000' }]);
		expect(await count("SELECT count() AS n FROM incidents WHERE id = '59893921' AND category = 'other' AND source = 'other'")).toBe(1);
		// closed_date became a `resolved` event with the agency as executor.
		expect(await count("SELECT count() AS n FROM incident_events WHERE incident_id = '59893918' AND type = 'resolved' AND executor = 'HPD'")).toBe(1);
	});

	it('refuses a bad mapping file with the field it got wrong', () => {
		const dir = tempDir('csv-map-');
		const bad = path.join(dir, 'map.json');
		fs.writeFileSync(bad, JSON.stringify({ columns: { latitude: 'latitude' }, colums: {} }));
		expect(() => readMapping(bad)).toThrow(/columns\.latitude/);
		expect(() => readMapping(bad)).toThrow(/colums/);
		fs.writeFileSync(bad, JSON.stringify({ date_format: 'YYYY' }));
		expect(() => readMapping(bad)).toThrow(/date_format/);
	});

	it('runs as `npm run import` with the default URL and the ingest token from the data dir', async () => {
		const dir = tempDir('csv-cli-');
		const file = path.join(dir, 'export.csv');
		fs.writeFileSync(file, 'id;source;created_at;category\ncsv-cli-1;vk;2024-04-01T09:00:00+07:00;roads\ncsv-cli-2;vk;nonsense;roads\n');
		// Asynchronous: the server under test runs in this very process and must keep answering.
		const run = () =>
			new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
				execFile(
					process.execPath,
					['--import', 'tsx', 'server/ingest/csv-cli.ts', file],
					{ cwd: PROJECT_ROOT, env: { ...process.env, MCU_DATA_DIR: app.dataDir, PORT: String(app.port) }, encoding: 'utf8' },
					(err, stdout, stderr) => resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr })
				);
			});
		const first = await run();
		expect(first.stdout).toMatch(/1 imported, 0 already there/);
		expect(first.stderr).toMatch(/export\.csv:3: created_at/);
		expect(first.status).toBe(1);
		const second = await run();
		expect(second.stdout).toMatch(/0 imported, 1 already there/);
	});
});
