/**
 * A mapping for CSV exports of other systems (`npm run import -- FILE.csv --map MAP.json`): which of the
 * export's columns is which incident field, how its values translate to this city's category, source and
 * district codes, and how its dates are written. With it an export imports as it is, without editing the
 * file. docs/import-mapping.example.json is a worked example (a city 311 export).
 */
import fs from 'node:fs';
import { parse as parseDate } from 'date-fns';
import { tz } from '@date-fns/tz';
import { z } from 'zod';

export const FIELDS = [
	'id', 'source', 'created_at', 'category', 'district', 'lat', 'lon', 'address', 'text', 'url',
	'severity', 'deadline_hours', 'assigned_at', 'responded_at', 'resolved_at', 'executor'
] as const;
export type Field = (typeof FIELDS)[number];

/** Fields whose values are codes of this city: a mapping may translate the export's values to them. */
const CODED = ['category', 'source', 'district'] as const;
type CodedField = (typeof CODED)[number];

const ValueMap = z.record(z.string().min(1), z.string().min(1));

const MappingSchema = z
	.object({
		/** Export column → field; `null` ignores the column. Names compare case-insensitively. */
		columns: z.record(z.string().min(1), z.enum(FIELDS).nullable()).default({}),
		/** Per field: export value → code; the key `*` catches every value not listed. */
		values: z.object({ category: ValueMap.optional(), source: ValueMap.optional(), district: ValueMap.optional() }).strict().default({}),
		/** A value for a field the export lacks, e.g. `{"source": "other"}`. */
		defaults: z.object({ source: z.string().min(1).optional(), category: z.string().min(1).optional() }).strict().default({}),
		/** A date-fns pattern for the export's dates, read in the city's zone, e.g. `MM/dd/yyyy hh:mm:ss a`. */
		date_format: z.string().min(1).optional(),
		/** `ignore`: columns neither known nor mapped are skipped; `error` (default): they stop the import. */
		other_columns: z.enum(['ignore', 'error']).default('error')
	})
	.strict();

export type CsvMapping = z.infer<typeof MappingSchema>;

export const NO_MAPPING: CsvMapping = MappingSchema.parse({});

/** Reads and checks a mapping file; the error names the file and every bad field. */
export function readMapping(file: string): CsvMapping {
	let json: unknown;
	try {
		json = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch (e) {
		throw new Error(`mapping ${file}: not readable JSON (${(e as Error).message})`);
	}
	const parsed = MappingSchema.safeParse(json);
	if (!parsed.success) {
		throw new Error(`mapping ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
	}
	if (parsed.data.date_format) checkDateFormat(parsed.data.date_format, file);
	return parsed.data;
}

function checkDateFormat(format: string, file: string): void {
	try {
		parseDate('', format, new Date());
	} catch (e) {
		throw new Error(`mapping ${file}: date_format: ${(e as Error).message}`);
	}
}

/** The code for an export's value of a coded field, or the value itself when the mapping says nothing. */
export function mapValue(mapping: CsvMapping, field: CodedField, value: string): string {
	const table = mapping.values[field];
	if (!table) return value;
	const key = value.trim().toLowerCase();
	for (const [from, to] of Object.entries(table)) if (from.trim().toLowerCase() === key) return to;
	return table['*'] ?? value;
}

/** A date in the mapping's pattern, read in the city's zone, as RFC 3339 UTC; null when it does not match. */
export function parseMappedDate(mapping: CsvMapping, value: string, zone: string): string | null {
	if (!mapping.date_format) return null;
	const d = parseDate(value.trim(), mapping.date_format, new Date(), { in: tz(zone) });
	return Number.isNaN(d.getTime()) ? null : new Date(d.getTime()).toISOString();
}
