/**
 * Validation of ingest payloads. Every problem is reported with the item's index and the field's path;
 * one bad item rejects the whole batch. Unknown fields are refused, so a typo never passes as "ignored".
 */
import { z } from 'zod';
import { IncidentInputSchema, StatusEventInputSchema, type IncidentInput, type StatusEventInput } from '../../src/lib/contract/incident.ts';
import { detailOfIssue, type ErrorDetail } from '../../src/lib/contract/errors.ts';
import { UNKNOWN_DISTRICT } from '../../src/lib/contract/city.ts';

/** The part of a city pack validation needs. */
export interface ValidationCity {
	categoryCodes: ReadonlySet<string>;
	districts: readonly { code: string }[];
	inBBox(lat: number, lon: number): boolean;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
/** Dates before this are a typo or a broken exporter, not a citizen's complaint. */
const EARLIEST = Date.UTC(2000, 0, 1);
/** Clocks of sources drift; more than this ahead of ours is refused. */
const MAX_FUTURE_MS = 10 * 60 * 1000;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** One message per bad timestamp: the first rule it breaks. */
const timestamp = (now: () => number) =>
	z.string().superRefine((s, ctx) => {
		const problem =
			s.length > 40 || !RFC3339.test(s)
				? 'must be an RFC 3339 timestamp with an offset, e.g. 2024-03-01T09:15:00+07:00'
				: !isRealDate(s)
					? 'is not a real date'
					: Date.parse(s) < EARLIEST
						? 'is before 2000-01-01'
						: Date.parse(s) > now() + MAX_FUTURE_MS
							? 'is in the future'
							: null;
		if (problem) ctx.addIssue({ code: 'custom', message: problem });
	});

/** `Date.parse` rolls 2024-02-30 over to March; a real date keeps its own day of month. */
function isRealDate(s: string): boolean {
	const ms = Date.parse(s);
	if (Number.isNaN(ms)) return false;
	const [y, m, d] = s.slice(0, 10).split('-').map(Number);
	const probe = new Date(Date.UTC(y!, m! - 1, d!));
	return probe.getUTCFullYear() === y && probe.getUTCMonth() === m! - 1 && probe.getUTCDate() === d;
}

const text = (max: number) =>
	z.string().max(max, `must be at most ${max} characters`).refine((s) => !CONTROL_CHARS.test(s), 'contains control characters');

const id = z
	.string()
	.min(1, 'must not be empty')
	.max(128, 'must be at most 128 characters')
	.refine((s) => !CONTROL_CHARS.test(s) && !/[\r\n\t]/.test(s), 'contains control characters');

/**
 * The contract's incident schema with what depends on the city pack and the clock: known codes, the bounding
 * box, real timestamps, no control characters. `author` is kept only as a salted hash (server/ingest/author.ts).
 */
export function incidentSchema(city: ValidationCity, now: () => number = Date.now) {
	const districtCodes = new Set([...city.districts.map((d) => d.code), UNKNOWN_DISTRICT]);
	return IncidentInputSchema
		.extend({
			id,
			created_at: timestamp(now),
			category: z.string().refine((c) => city.categoryCodes.has(c), 'is not a configured category code'),
			district: z
				.string()
				.refine((d) => districtCodes.has(d), 'is not a district of this city')
				.optional(),
			address: text(300).optional(),
			text: text(4000).optional(),
			url: z
				.string()
				.max(2048)
				.refine((u) => /^https?:\/\/[^\s]+$/i.test(u) && URL.canParse(u), 'must be an http or https URL')
				.optional(),
			author: id.optional()
		})
		.superRefine((v, ctx) => {
			const hasLat = v.lat !== undefined;
			const hasLon = v.lon !== undefined;
			if (hasLat !== hasLon) {
				ctx.addIssue({ code: 'custom', path: [hasLat ? 'lon' : 'lat'], message: 'lat and lon come together' });
			} else if (hasLat && hasLon && !city.inBBox(v.lat!, v.lon!)) {
				ctx.addIssue({ code: 'custom', path: ['lat'], message: "is outside the city's bounding box" });
			}
		});
}

export function eventSchema(now: () => number = Date.now) {
	return StatusEventInputSchema.extend({
		incident_id: id,
		at: timestamp(now),
		executor: text(200).optional(),
		comment: text(2000).optional()
	});
}

export type Validation<T> = { ok: true; items: T[] } | { ok: false; details: ErrorDetail[] };

/** At most this many problems are listed: enough to fix a file, bounded for a 10 000-item batch. */
export const MAX_DETAILS = 200;

/** Items validated between two turns of the event loop when a batch is validated in slices. */
export const SLICE_ITEMS = 250;

/** Lets the event loop read and answer other requests (a lone incident behind a bulk import). */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function validateRange<T>(raw: unknown[], schema: z.ZodType<T>, from: number, to: number, items: T[], details: ErrorDetail[]): void {
	for (let index = from; index < to; index++) {
		const r = schema.safeParse(raw[index]);
		if (r.success) {
			items.push(r.data);
			continue;
		}
		for (const issue of r.error.issues) {
			if (details.length >= MAX_DETAILS) break;
			details.push(detailOfIssue(issue, index));
		}
	}
}

function validateAll<T>(raw: unknown[], schema: z.ZodType<T>): Validation<T> {
	const items: T[] = [];
	const details: ErrorDetail[] = [];
	validateRange(raw, schema, 0, raw.length, items, details);
	return details.length > 0 ? { ok: false, details } : { ok: true, items };
}

/** The same answer as `validateAll`, giving the event loop back every SLICE_ITEMS items. */
async function validateInSlices<T>(raw: unknown[], schema: z.ZodType<T>): Promise<Validation<T>> {
	const items: T[] = [];
	const details: ErrorDetail[] = [];
	for (let from = 0; from < raw.length; from += SLICE_ITEMS) {
		if (from > 0) await nextTurn();
		validateRange(raw, schema, from, Math.min(raw.length, from + SLICE_ITEMS), items, details);
	}
	return details.length > 0 ? { ok: false, details } : { ok: true, items };
}

/**
 * Built schemas, by city and clock. Zod compiles a schema on its first parse; built afresh for every request,
 * the compile cost more than the validation (a millisecond a request on the answer's path). A caller passing
 * a new clock each time only refills a few slots.
 */
const incidentSchemas = new WeakMap<ValidationCity, Map<() => number, ReturnType<typeof incidentSchema>>>();
const eventSchemas = new Map<() => number, ReturnType<typeof eventSchema>>();
const CLOCKS_KEPT = 8;

function remembered<K, V>(cache: Map<K, V>, key: K, build: () => V): V {
	let v = cache.get(key);
	if (v === undefined) {
		if (cache.size >= CLOCKS_KEPT) cache.clear();
		v = build();
		cache.set(key, v);
	}
	return v;
}

function incidentSchemaFor(city: ValidationCity, now: () => number): ReturnType<typeof incidentSchema> {
	let byClock = incidentSchemas.get(city);
	if (!byClock) incidentSchemas.set(city, (byClock = new Map()));
	return remembered(byClock, now, () => incidentSchema(city, now));
}

const eventSchemaFor = (now: () => number) => remembered(eventSchemas, now, () => eventSchema(now));

export function validateIncidents(raw: unknown[], city: ValidationCity, now: () => number = Date.now): Validation<IncidentInput> {
	return validateAll<IncidentInput>(raw, incidentSchemaFor(city, now));
}

export function validateEvents(raw: unknown[], now: () => number = Date.now): Validation<StatusEventInput> {
	return validateAll<StatusEventInput>(raw, eventSchemaFor(now));
}

/** `validateIncidents` for the HTTP path: a large batch is validated in slices between other requests. */
export function validateIncidentsInSlices(raw: unknown[], city: ValidationCity): Promise<Validation<IncidentInput>> {
	return validateInSlices<IncidentInput>(raw, incidentSchemaFor(city, Date.now));
}

/** `validateEvents` for the HTTP path, in slices. */
export function validateEventsInSlices(raw: unknown[]): Promise<Validation<StatusEventInput>> {
	return validateInSlices<StatusEventInput>(raw, eventSchemaFor(Date.now));
}
