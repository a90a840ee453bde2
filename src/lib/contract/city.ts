/** A city pack as the server loads it and the browser receives it (no node:* imports). */

export interface DistrictInfo {
	code: string;
	name: string;
	population: number | null;
	population_year: number | null;
	/** Where the population figure comes from, and any caveat (old, partial). */
	population_note: string;
}

export interface CategoryInfo {
	code: string;
	label: string;
	/** Working hours allowed for the first response. */
	deadline_hours: number;
	/** Working hours allowed for severity 4–5. */
	urgent_deadline_hours: number;
	/** Days within which a new incident at the same place repeats the previous one (root causes). */
	repeat_window_days?: number;
}

export interface BBox {
	south: number;
	west: number;
	north: number;
	east: number;
}

export interface DistrictFeatureProps {
	code: string;
	name: string;
	schematic: boolean;
}

export interface DistrictFeature {
	type: 'Feature';
	properties: DistrictFeatureProps;
	geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
}

export interface DistrictBoundaries {
	type: 'FeatureCollection';
	/** True while the polygons are schematic, not official: the map legend says so. */
	schematic: boolean;
	features: DistrictFeature[];
}

/** What pages need: names, labels, polygons. */
export interface CityPublic {
	code: string;
	name: string;
	tz: string;
	center: { lat: number; lon: number };
	bbox: BBox;
	districts: DistrictInfo[];
	categories: CategoryInfo[];
	boundaries: DistrictBoundaries;
}

export const SOURCE_LABELS: Record<string, string> = {
	vk: 'ВКонтакте',
	ok: 'Одноклассники',
	telegram: 'Telegram',
	feedback_platform: 'Платформа обратной связи',
	forum: 'Форум',
	media: 'СМИ',
	phone: 'Телефон',
	other: 'Другое'
};

export const UNKNOWN_DISTRICT = 'unknown';
