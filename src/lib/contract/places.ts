/** `GET /api/v1/places`: chronic places, where one category keeps coming back (root causes). */
import { z } from 'zod';

export const PlaceMonthSchema = z.object({
	month: z.string().describe('YYYY-MM in the city zone'),
	n: z.number()
});
export type PlaceMonth = z.infer<typeof PlaceMonthSchema>;

export const PlaceAnswerSchema = z.object({
	at: z.string(),
	executor: z.string().describe("who gave the answer (the status event's executor); '' when the source did not say"),
	comment: z.string().describe("the answer's comment as the source sent it: render as text")
});
export type PlaceAnswer = z.infer<typeof PlaceAnswerSchema>;

export const ChronicPlaceSchema = z
	.object({
		place_key: z.string().describe('the stored place identity (`a:…` address, `g:…` ~30 m cell, `n:…` named place)'),
		kind: z.enum(['address', 'area', 'named']),
		address: z.string().describe("the latest address written for it; '' for an area known only by its location"),
		district: z.string(),
		category: z.string(),
		lat: z.number().nullable().describe('mean location of its incidents, or null when none had one'),
		lon: z.number().nullable(),
		count: z.number().describe('incidents in the period'),
		months: z.array(PlaceMonthSchema).describe('incidents per month over the history asked for, oldest first, empty months omitted'),
		repeats: z.number().describe('incidents of the period that repeat an earlier one here'),
		repeats_after_answer: z.number().describe('of those, how many came after the earlier one had been answered: the answer did not fix it'),
		repeat_after_answer_share: z.number().describe('repeats_after_answer / count (0..1)'),
		first_at: z.string(),
		last_at: z.string(),
		last_answer: PlaceAnswerSchema.nullable().describe('the latest official answer to any of its incidents, or null')
	})
	.meta({ id: 'ChronicPlace' });
export type ChronicPlace = z.infer<typeof ChronicPlaceSchema>;

export const PlacesResponseSchema = z
	.object({
		district: z.string().nullable(),
		category: z.string().nullable(),
		days: z.number(),
		min_count: z.number().describe('the least number of incidents in the period for a place to count as chronic'),
		items: z.array(ChronicPlaceSchema)
	})
	.meta({ id: 'PlacesResponse' });
export type PlacesResponse = z.infer<typeof PlacesResponseSchema>;
