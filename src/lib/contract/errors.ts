/** The error envelope of every failed HTTP answer (CONTRACT.md). */
import { z } from 'zod';

export const ErrorDetailSchema = z.object({
	index: z.number().int().optional().describe('the item of the batch, from 0'),
	path: z.string().describe('the field, dot-separated; empty for the item as a whole'),
	message: z.string()
}).meta({ id: 'ErrorDetail' });
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ErrorBodySchema = z.object({
	error: z.object({ code: z.string(), message: z.string(), details: z.array(ErrorDetailSchema).optional() })
}).meta({ id: 'ErrorBody' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** One zod issue as a detail of the envelope: a missing field says "is required", unknown fields are named. */
export function detailOfIssue(issue: z.core.$ZodIssue, index?: number): ErrorDetail {
	const message =
		issue.code === 'unrecognized_keys'
			? `unknown field(s): ${issue.keys.map((k) => JSON.stringify(k).slice(0, 60)).join(', ')}`
			: issue.code === 'invalid_type' && issue.input === undefined
				? 'is required'
				: issue.message;
	const path = issue.path.map(String).join('.');
	return index === undefined ? { path, message } : { index, path, message };
}
