/** A city pack as the server loads it and the browser receives it (no node:* imports). */
import { z } from 'zod';

export const DistrictInfoSchema = z.object({
	code: z.string(),
	name: z.string(),
	population: z.number().nullable(),
	population_year: z.number().nullable(),
	/** Where the population figure comes from, and any caveat (old, partial). */
	population_note: z.string()
});
export type DistrictInfo = z.infer<typeof DistrictInfoSchema>;

export const CategoryInfoSchema = z.object({
	code: z.string(),
	label: z.string(),
	/** Working hours allowed for the first response. */
	deadline_hours: z.number(),
	/** Working hours allowed for severity 4–5. */
	urgent_deadline_hours: z.number(),
	/** Days within which a new incident at the same place repeats the previous one (root causes). */
	repeat_window_days: z.number().optional()
});
export type CategoryInfo = z.infer<typeof CategoryInfoSchema>;

export const BBoxSchema = z.object({ south: z.number(), west: z.number(), north: z.number(), east: z.number() });
export type BBox = z.infer<typeof BBoxSchema>;

export const DistrictFeaturePropsSchema = z.object({ code: z.string(), name: z.string(), schematic: z.boolean() });
export type DistrictFeatureProps = z.infer<typeof DistrictFeaturePropsSchema>;

export const DistrictFeatureSchema = z.object({
	type: z.literal('Feature'),
	properties: DistrictFeaturePropsSchema,
	geometry: z.union([
		z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.array(z.number()))) }),
		z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) })
	])
});
export type DistrictFeature = z.infer<typeof DistrictFeatureSchema>;

export const DistrictBoundariesSchema = z.object({
	type: z.literal('FeatureCollection'),
	/** True while the polygons are schematic, not official: the map legend says so. */
	schematic: z.boolean(),
	features: z.array(DistrictFeatureSchema)
});
export type DistrictBoundaries = z.infer<typeof DistrictBoundariesSchema>;

/** What pages need: names, labels, polygons. */
export const CityPublicSchema = z.object({
	code: z.string(),
	name: z.string(),
	tz: z.string(),
	center: z.object({ lat: z.number(), lon: z.number() }),
	bbox: BBoxSchema,
	districts: z.array(DistrictInfoSchema),
	categories: z.array(CategoryInfoSchema),
	boundaries: DistrictBoundariesSchema
}).meta({ id: 'CityPublic' });
export type CityPublic = z.infer<typeof CityPublicSchema>;

/** `GET /api/v1/city`: the city pack's public part and the map tiles to draw it on. */
export const CityResponseSchema = CityPublicSchema.extend({ tile_url: z.string().nullable().describe("map tiles URL template; null: the offline basemap") });

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
