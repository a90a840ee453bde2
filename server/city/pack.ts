/**
 * A city pack is a folder: city.json (districts, categories, deadlines, bbox), districts.geojson
 * (boundaries, schematic or official) and calendar.json (production calendar). Another city is another
 * folder, not new code.
 *
 * Boundaries are matched to districts by `properties.code`, or else by name (`name`, `name:ru`,
 * `official_name`, with or without the word «район»), so an OSM export of the administrative
 * boundaries can replace districts.geojson as is. `schematic` defaults to false when absent.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {
	BBox,
	CategoryInfo,
	CityPublic,
	DistrictBoundaries,
	DistrictFeature,
	DistrictInfo
} from '../../src/lib/contract/city.ts';
import { WorkingCalendar, type CalendarData } from './calendar.ts';
import { bboxOfRings, inBBox, pointInGeometry, polygonsOf, unionBBox } from './geo.ts';

/** What the simulator (and anything placing points) knows about a district beyond its public info. */
export interface DistrictDetails {
	code: string;
	area_km2: number | null;
	center: { lat: number; lon: number } | null;
	/** Real street names of the district (full form, e.g. «улица Попова»). */
	streets: string[];
	/** Settlements and microdistricts with a known point. */
	places: { name: string; lat: number; lon: number }[];
}

export interface CityPack extends CityPublic {
	calendar: WorkingCalendar;
	categoryCodes: ReadonlySet<string>;
	districtCodes: ReadonlySet<string>;
	details: ReadonlyMap<string, DistrictDetails>;
	districtAt(lat: number, lon: number): string | null;
	inBBox(lat: number, lon: number): boolean;
	deadlineHours(category: string, severity: number): number;
	/** Days within which a new incident at the same place and category is a repeat (root causes). */
	repeatWindowDays(category: string): number;
}

interface RawDistrict {
	code: string;
	name: string;
	population?: number | null;
	population_year?: number | null;
	population_note?: string;
	area_km2?: number | null;
	center?: { lat: number; lon: number };
	streets?: string[];
	places?: { name: string; lat: number; lon: number }[];
}

interface RawCity {
	code: string;
	name: string;
	tz?: string;
	center: { lat: number; lon: number };
	bbox: BBox;
	working_hours?: { start: string; end: string };
	default_deadline_hours?: number;
	urgent_deadline_hours?: number;
	default_repeat_window_days?: number;
	districts: RawDistrict[];
	categories: { code: string; label: string; deadline_hours?: number; urgent_deadline_hours?: number; repeat_window_days?: number }[];
}

function readJson<T>(file: string): T {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
	} catch (err) {
		throw new Error(`city pack: cannot read ${file}: ${(err as Error).message}`);
	}
}

const hhmm = (s: string): number => {
	const m = /^(\d{1,2}):(\d{2})$/.exec(s);
	if (!m) throw new Error(`city pack: bad time "${s}" (HH:MM expected)`);
	return Number(m[1]) * 60 + Number(m[2]);
};

const normName = (s: string): string =>
	s.toLowerCase().replace(/ё/g, 'е').replace(/\s*район\s*/g, ' ').replace(/\s+/g, ' ').trim();

/** Finds each feature's district code; features that match no district are an error, not silently dropped. */
function matchBoundaries(raw: { schematic?: boolean; features?: unknown[] }, districts: RawDistrict[], file: string): DistrictBoundaries {
	const byName = new Map(districts.map((d) => [normName(d.name), d.code]));
	const codes = new Set(districts.map((d) => d.code));
	const schematic = raw.schematic === true;
	const features: DistrictFeature[] = [];
	for (const [i, f] of (raw.features ?? []).entries()) {
		const feat = f as { properties?: Record<string, unknown>; geometry?: DistrictFeature['geometry'] };
		const props = feat.properties ?? {};
		const geom = feat.geometry;
		if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) continue; // e.g. admin_centre points
		let code = typeof props.code === 'string' && codes.has(props.code) ? props.code : null;
		for (const key of ['name:ru', 'name', 'official_name']) {
			if (code) break;
			const v = props[key];
			if (typeof v === 'string') code = byName.get(normName(v)) ?? null;
		}
		if (!code) throw new Error(`city pack: ${file} feature ${i} matches no district (set properties.code)`);
		const name = districts.find((d) => d.code === code)!.name;
		features.push({
			type: 'Feature',
			properties: { code, name, schematic: typeof props.schematic === 'boolean' ? props.schematic : schematic },
			geometry: geom
		});
	}
	const missing = districts.filter((d) => !features.some((f) => f.properties.code === d.code));
	if (missing.length) throw new Error(`city pack: ${file} has no boundary for ${missing.map((d) => d.code).join(', ')}`);
	return { type: 'FeatureCollection', schematic, features };
}

export function loadCityPack(dir: string, tz: string): CityPack {
	const raw = readJson<RawCity>(path.join(dir, 'city.json'));
	const calData = readJson<CalendarData>(path.join(dir, 'calendar.json'));
	const geoFile = path.join(dir, 'districts.geojson');
	const boundaries = matchBoundaries(readJson(geoFile), raw.districts, geoFile);

	const defDeadline = raw.default_deadline_hours ?? 8;
	const defUrgent = raw.urgent_deadline_hours ?? 4;
	const repeatDefault = positiveDays(raw.default_repeat_window_days ?? DEFAULT_REPEAT_WINDOW_DAYS, 'default_repeat_window_days');
	const categories: CategoryInfo[] = raw.categories.map((c) => ({
		code: c.code,
		label: c.label,
		deadline_hours: c.deadline_hours ?? defDeadline,
		urgent_deadline_hours: c.urgent_deadline_hours ?? defUrgent,
		repeat_window_days: positiveDays(c.repeat_window_days ?? repeatDefault, `${c.code}.repeat_window_days`)
	}));
	const districts: DistrictInfo[] = raw.districts.map((d) => ({
		code: d.code,
		name: d.name,
		population: d.population ?? null,
		population_year: d.population_year ?? null,
		population_note: d.population_note ?? ''
	}));
	const details = new Map<string, DistrictDetails>(
		raw.districts.map((d) => [
			d.code,
			{ code: d.code, area_km2: d.area_km2 ?? null, center: d.center ?? null, streets: d.streets ?? [], places: d.places ?? [] }
		])
	);
	const wh = raw.working_hours ?? { start: '09:00', end: '18:00' };
	const calendar = new WorkingCalendar(calData, tz, { startMin: hhmm(wh.start), endMin: hhmm(wh.end) });

	// Official boundaries may reach past the configured box: accept every point inside a district.
	const shapes = boundaries.features.map((f) => ({
		code: f.properties.code,
		geometry: f.geometry,
		box: bboxOfRings(polygonsOf(f.geometry).map((p) => p[0]!))
	}));
	const bbox = shapes.reduce((b, s) => unionBBox(b, s.box), raw.bbox);
	const byCategory = new Map(categories.map((c) => [c.code, c]));
	const repeatWindows = new Map(categories.map((c) => [c.code, c.repeat_window_days ?? repeatDefault]));

	return {
		code: raw.code,
		name: raw.name,
		tz,
		center: raw.center,
		bbox,
		districts,
		categories,
		boundaries,
		calendar,
		categoryCodes: new Set(categories.map((c) => c.code)),
		districtCodes: new Set(districts.map((d) => d.code)),
		details,
		districtAt(lat, lon) {
			for (const s of shapes) {
				if (inBBox(lat, lon, s.box) && pointInGeometry(lon, lat, s.geometry)) return s.code;
			}
			return null;
		},
		inBBox: (lat, lon) => inBBox(lat, lon, bbox),
		deadlineHours(category, severity) {
			const c = byCategory.get(category);
			if (severity >= 4) return c?.urgent_deadline_hours ?? defUrgent;
			return c?.deadline_hours ?? defDeadline;
		},
		repeatWindowDays: (category) => repeatWindows.get(category) ?? repeatDefault
	};
}

/** A repeat within 30 days of the previous one at the place: the usual "the answer did not fix it" horizon. */
export const DEFAULT_REPEAT_WINDOW_DAYS = 30;

function positiveDays(v: number, what: string): number {
	if (!Number.isInteger(v) || v < 1 || v > 366) throw new Error(`city pack: ${what} must be a whole number of days 1–366`);
	return v;
}

/** The part of a pack that pages receive (JSON-safe: no functions, sets or calendar). */
export function cityPublic(pack: CityPack): CityPublic {
	const { code, name, tz, center, bbox, districts, categories, boundaries } = pack;
	return { code, name, tz, center, bbox, districts, categories, boundaries };
}
