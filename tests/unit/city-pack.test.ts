import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cityPublic, loadCityPack } from '../../server/city/pack.ts';
import { distanceM, localProjection, polygonAreaKm2, signedArea } from '../../server/city/geo.ts';

const dir = path.resolve('city/barnaul');
const pack = loadCityPack(dir, 'Asia/Barnaul');
const CODES = ['central', 'zheleznodorozhny', 'industrialny', 'leninsky', 'oktyabrsky'];
const CATEGORIES = ['heating', 'water', 'housing', 'roads', 'snow', 'yard', 'lighting', 'waste', 'transport', 'health', 'education', 'social', 'ecology', 'safety', 'other'];

describe('Barnaul city pack', () => {
	it('has the five districts with populations and notes', () => {
		expect(pack.districts.map((d) => d.code).sort()).toEqual([...CODES].sort());
		const lenin = pack.districts.find((d) => d.code === 'leninsky')!;
		expect(lenin.name).toBe('Ленинский');
		expect(lenin.population).toBe(151900);
		expect(lenin.population_year).toBeNull();
		expect(lenin.population_note).toMatch(/not found/);
		expect(pack.districts.find((d) => d.code === 'industrialny')!.population).toBe(186301);
		for (const d of pack.districts) expect(d.population).toBeGreaterThan(90_000);
	});

	it('has the 15 contract categories with Russian labels and deadlines', () => {
		expect(pack.categories.map((c) => c.code)).toEqual(CATEGORIES);
		expect(pack.categories.find((c) => c.code === 'heating')!.label).toBe('Отопление');
		for (const c of pack.categories) expect(c.label).toMatch(/[А-Яа-яё]/);
		expect(pack.categoryCodes.has('snow')).toBe(true);
		expect(pack.categoryCodes.has('bogus')).toBe(false);
		expect(pack.deadlineHours('heating', 2)).toBe(8);
		expect(pack.deadlineHours('heating', 3)).toBe(8);
		expect(pack.deadlineHours('roads', 4)).toBe(4);
		expect(pack.deadlineHours('roads', 5)).toBe(4);
	});

	it('puts every district centre and listed settlement in its own district', () => {
		for (const d of pack.details.values()) {
			expect(pack.districtAt(d.center!.lat, d.center!.lon)).toBe(d.code);
			for (const p of d.places) expect(pack.districtAt(p.lat, p.lon), p.name).toBe(d.code);
		}
		// The contract's example point (ул. Попова) is in Индустриальный.
		expect(pack.districtAt(53.3481, 83.661)).toBe('industrialny');
	});

	it('finds no district outside the city and knows its box', () => {
		expect(pack.districtAt(53.41426, 83.94108)).toBeNull(); // Новоалтайск, across the Ob
		expect(pack.districtAt(55.75, 37.62)).toBeNull();
		expect(pack.inBBox(pack.center.lat, pack.center.lon)).toBe(true);
		expect(pack.inBBox(55.75, 37.62)).toBe(false);
		expect(pack.districtAt(pack.center.lat, pack.center.lon)).not.toBeNull();
	});

	it('marks the boundaries schematic and sizes them by the official areas', () => {
		expect(pack.boundaries.schematic).toBe(true);
		const proj = localProjection(pack.center.lat, pack.center.lon);
		for (const f of pack.boundaries.features) {
			expect(f.properties.schematic).toBe(true);
			expect(f.geometry.type).toBe('Polygon');
			const ring = (f.geometry.coordinates as number[][][])[0]!;
			expect(signedArea(ring)).toBeGreaterThan(0); // counter-clockwise exterior (RFC 7946)
			const area = polygonAreaKm2(f.geometry.coordinates as number[][][], proj);
			const official = pack.details.get(f.properties.code)!.area_km2!;
			expect(area / official).toBeGreaterThan(0.5);
			expect(area / official).toBeLessThan(2);
		}
	});

	it('gives pages a JSON-safe public view', () => {
		const pub = JSON.parse(JSON.stringify(cityPublic(pack)));
		expect(Object.keys(pub).sort()).toEqual(['bbox', 'boundaries', 'categories', 'center', 'code', 'districts', 'name', 'tz']);
		expect(pub.boundaries.features).toHaveLength(5);
	});

	it('takes official boundaries (an OSM-style export) with no code change', () => {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citypack-'));
		for (const f of ['city.json', 'calendar.json']) fs.copyFileSync(path.join(dir, f), path.join(tmp, f));
		// OSM relations carry names like «Индустриальный район», no code and no schematic flag.
		const square = (lat: number, lon: number) => [[[lon - 0.01, lat - 0.01], [lon + 0.01, lat - 0.01], [lon + 0.01, lat + 0.01], [lon - 0.01, lat + 0.01], [lon - 0.01, lat - 0.01]]];
		const features = pack.districts.map((d, i) => ({
			type: 'Feature',
			properties: i % 2 ? { name: `${d.name} район`, admin_level: '9', boundary: 'administrative' } : { 'name:ru': `${d.name} район` },
			geometry: { type: 'MultiPolygon', coordinates: [square(60 + i, 100)] }
		}));
		features.push({ type: 'Feature', properties: { name: 'Барнаул' } as never, geometry: { type: 'Point', coordinates: [83.7, 53.3] } as never });
		fs.writeFileSync(path.join(tmp, 'districts.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
		const official = loadCityPack(tmp, 'Asia/Barnaul');
		expect(official.boundaries.schematic).toBe(false);
		expect(official.boundaries.features.every((f) => !f.properties.schematic)).toBe(true);
		expect(official.districtAt(62, 100)).toBe(pack.districts[2]!.code);
		expect(official.inBBox(62, 100)).toBe(true); // the box grows to hold the official shapes
		fs.rmSync(tmp, { recursive: true });
	});

	it('rejects boundaries that match no district', () => {
		const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citypack-'));
		for (const f of ['city.json', 'calendar.json']) fs.copyFileSync(path.join(dir, f), path.join(tmp, f));
		const poly = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
		fs.writeFileSync(path.join(tmp, 'districts.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Нигде' }, geometry: poly }] }));
		expect(() => loadCityPack(tmp, 'Asia/Barnaul')).toThrow(/matches no district/);
		fs.rmSync(tmp, { recursive: true });
	});

	it('measures distances', () => {
		// One degree of latitude is about 111.2 km.
		expect(distanceM(53, 83, 54, 83)).toBeGreaterThan(111_000);
		expect(distanceM(53, 83, 54, 83)).toBeLessThan(111_400);
	});
});
