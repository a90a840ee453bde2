/** Migrations against the real embedded engine: from empty, recorded, idempotent. */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../server/store/client.ts';
import { migrate, readMigrations, splitStatements } from '../../server/store/migrate.ts';
import { loadConfig } from '../../server/config.ts';
import { tempDir } from '../helpers/app.ts';

describe('migrations', () => {
	it('apply every file once from an empty store and record them', async () => {
		const store = await createStore(loadConfig({ MCU_DATA_DIR: tempDir() }));
		const files = readMigrations().map((m) => m.name);
		expect(files[0]).toBe('001_incidents');
		expect(await migrate(store)).toEqual(files);
		expect(await migrate(store)).toEqual([]);
		const r = await store.query({ query: 'SELECT name FROM schema_migrations FINAL ORDER BY version', format: 'JSONEachRow' });
		expect((await r.json<{ name: string }>()).map((x) => x.name)).toEqual(files);
		const t = await store.query({
			query: "SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN ('incidents', 'incident_events') ORDER BY name",
			format: 'JSONEachRow'
		});
		expect((await t.json<{ name: string }>()).map((x) => x.name)).toEqual(['incident_events', 'incidents']);
		await store.close();
	});

	it('stores H3 cells with the engine agreeing on Barnaul coordinates (lat first since 25.5)', async () => {
		const store = await createStore(loadConfig({ MCU_DATA_DIR: tempDir() }));
		const r = await store.query({
			query: 'SELECT h3ToString(geoToH3({lat:Float64}, {lon:Float64}, 9)) AS cell, h3ToGeo(geoToH3({lat:Float64}, {lon:Float64}, 9)).1 AS lat',
			query_params: { lat: 53.3481, lon: 83.661 },
			format: 'JSONEachRow'
		});
		const row = (await r.json<{ cell: string; lat: number }>())[0]!;
		const { latLngToCell } = await import('h3-js');
		expect(row.cell).toBe(latLngToCell(53.3481, 83.661, 9));
		expect(row.lat).toBeCloseTo(53.348, 2);
		await store.close();
	});

	it('split statements and drop comments', () => {
		expect(splitStatements('-- note\nCREATE TABLE a (x UInt8) ENGINE = Memory;\n\nCREATE TABLE b (y UInt8) ENGINE = Memory;\n')).toEqual([
			'CREATE TABLE a (x UInt8) ENGINE = Memory',
			'CREATE TABLE b (y UInt8) ENGINE = Memory'
		]);
	});
});
