/**
 * Import of historical CSV exports. A file is decoded (UTF-8, or Windows-1251 when it is not valid
 * UTF-8), split on `;` or `,` (whichever the header uses), its columns recognised by English or Russian
 * names, each row turned into an incident (plus status events from the date columns) and checked with
 * the same validation as the API. Bad rows are reported with their line numbers; good rows are posted
 * to the public API in batches. Rows without an id get one derived from their content, so importing
 * the same file again adds nothing.
 *
 * Columns (header names are case-insensitive; any order; unknown columns are an error unless a mapping says
 * otherwise; the common English names of other systems' exports are accepted too, see ALIASES):
 *   id · Номер · Идентификатор            source · Источник (code or label: «ВКонтакте»…)
 *   created_at · Дата создания · Создано  category · Категория · Тема (code or label)
 *   district · Район                      lat · Широта        lon · Долгота
 *   address · Адрес                       text · Текст · Сообщение
 *   url · Ссылка                          severity · Важность · Приоритет (1–5)
 *   deadline_hours · Срок (рабочих часов)
 *   assigned_at · Назначено   responded_at · Дата ответа · Ответ   resolved_at · Решено
 *   executor · Исполнитель
 * Dates: RFC 3339 (`2024-03-01T09:15:00+07:00`), or `DD.MM.YYYY HH:MM[:SS]` / `YYYY-MM-DD HH:MM[:SS]`
 * in the city's time zone, or the mapping's `date_format`. Decimal commas in coordinates are accepted.
 * A mapping (csv-mapping.ts) names an export's own columns, translates its values and sets defaults.
 */
import crypto from 'node:crypto';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { SOURCE_LABELS } from '../../src/lib/contract/city.ts';
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { CityPack } from '../city/pack.ts';
import { validateEvents, validateIncidents } from './validate.ts';
import { mapValue, NO_MAPPING, parseMappedDate, type CsvMapping, type Field } from './csv-mapping.ts';

export type { Field } from './csv-mapping.ts';

/** Header names per field: ours, Russian ones, and the usual names in other systems' open-data exports. */
const ALIASES: Record<Field, string[]> = {
	id: ['id', 'номер', 'идентификатор', '№', 'номер инцидента', 'unique_key', 'service_request_id', 'request_id', 'case_id', 'ticket_id'],
	source: ['source', 'источник', 'channel', 'source_id', 'open_data_channel_type', 'request_channel'],
	created_at: ['created_at', 'дата создания', 'создано', 'дата', 'дата и время', 'created_date', 'created date', 'creation_date', 'date_created', 'requested_datetime', 'opened'],
	category: ['category', 'категория', 'тема', 'рубрика', 'type', 'type_id', 'complaint_type', 'request_type', 'service_name'],
	district: ['district', 'район'],
	lat: ['lat', 'широта', 'latitude', 'y_latitude'],
	lon: ['lon', 'lng', 'долгота', 'longitude', 'long', 'x_longitude'],
	address: ['address', 'адрес', 'incident_address', 'street_address', 'full_address'],
	text: ['text', 'текст', 'сообщение', 'текст сообщения', 'description', 'descriptor', 'details'],
	url: ['url', 'ссылка', 'link', 'media_url'],
	severity: ['severity', 'важность', 'приоритет', 'priority'],
	deadline_hours: ['deadline_hours', 'срок', 'срок (рабочих часов)', 'срок, рабочих часов'],
	assigned_at: ['assigned_at', 'назначено', 'дата назначения', 'assigned_date'],
	responded_at: ['responded_at', 'дата ответа', 'ответ', 'ответ дан', 'responded_date', 'first_response_date'],
	resolved_at: ['resolved_at', 'решено', 'дата решения', 'closed_date', 'closed date', 'resolved_date', 'updated_datetime'],
	executor: ['executor', 'исполнитель', 'agency', 'agency_name', 'agency_responsible']
};

export interface RowError {
	line: number;
	message: string;
}

export interface ParsedCsv {
	rows: number;
	incidents: IncidentInput[];
	events: StatusEventInput[];
	errors: RowError[];
	encoding: 'utf-8' | 'windows-1251';
	delimiter: ';' | ',';
}

const norm = (s: string) => s.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

export function decodeCsv(buf: Buffer): { text: string; encoding: ParsedCsv['encoding'] } {
	try {
		const text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
		return { text: text.replace(/^\uFEFF/, ''), encoding: 'utf-8' };
	} catch {
		return { text: iconv.decode(buf, 'win1251'), encoding: 'windows-1251' };
	}
}

export function detectDelimiter(text: string): ';' | ',' {
	const header = text.split(/\r?\n/, 1)[0] ?? '';
	return (header.match(/;/g)?.length ?? 0) >= (header.match(/,/g)?.length ?? 0) && header.includes(';') ? ';' : ',';
}

/** Converts a local or RFC 3339 date to RFC 3339 (UTC); null when it is not a date. */
function toRfc3339(v: string, city: CityPack): string | null {
	const s = v.trim();
	if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(s)) return s;
	let m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
	let parts: string[] | null = m ? [m[3]!, m[2]!, m[1]!, m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'] : null;
	if (!parts) {
		m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
		parts = m ? [m[1]!, m[2]!, m[3]!, m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'] : null;
	}
	if (!parts) return null;
	const [y, mo, d, h, mi, se] = parts.map(Number) as [number, number, number, number, number, number];
	if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return null;
	if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return null; // 31.02 is not a date
	const day = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
	return city.calendar.localToUtc(day, ((h * 60 + mi) * 60 + se) * 1000).toISOString();
}

class Lookup {
	private readonly map = new Map<string, string>();
	constructor(pairs: [string, string][]) {
		for (const [k, v] of pairs) this.map.set(norm(k), v);
	}
	get(v: string): string {
		return this.map.get(norm(v)) ?? this.map.get(norm(v.replace(/\s*район\s*$/i, ''))) ?? v.trim();
	}
}

function lookups(city: CityPack) {
	return {
		source: new Lookup([
			...Object.entries(SOURCE_LABELS).flatMap(([code, label]): [string, string][] => [[code, code], [label, code]]),
			['вк', 'vk'], ['vk.com', 'vk'], ['ок', 'ok'], ['пос', 'feedback_platform'], ['тг', 'telegram']
		]),
		category: new Lookup(city.categories.flatMap((c): [string, string][] => [[c.code, c.code], [c.label, c.code]])),
		district: new Lookup(city.districts.flatMap((d): [string, string][] => [[d.code, d.code], [d.name, d.code]]))
	};
}

const num = (v: string): number => (v.trim() === '' ? NaN : Number(v.trim().replace(',', '.')));

export function parseCsv(buf: Buffer, city: CityPack, now: () => number = Date.now, mapping: CsvMapping = NO_MAPPING): ParsedCsv {
	const { text, encoding } = decodeCsv(buf);
	const delimiter = detectDelimiter(text);
	const errors: RowError[] = [];
	const incidents: IncidentInput[] = [];
	const events: StatusEventInput[] = [];
	let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
	try {
		records = parse(text, { delimiter, info: true, relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as unknown as typeof records;
	} catch (err) {
		const e = err as Error & { lines?: number };
		return { rows: 0, incidents, events, errors: [{ line: e.lines ?? 1, message: `not a readable CSV: ${e.message}` }], encoding, delimiter };
	}
	const [header, ...body] = records;
	if (!header) return { rows: 0, incidents, events, errors: [{ line: 1, message: 'the file is empty' }], encoding, delimiter };

	const byAlias = new Map<string, Field>();
	for (const [field, names] of Object.entries(ALIASES) as [Field, string[]][]) for (const n of names) byAlias.set(norm(n), field);
	const mapped = new Map(Object.entries(mapping.columns).map(([column, field]) => [norm(column), field]));
	// The mapping's word wins over the synonyms; a column it maps to null is skipped on purpose.
	const columns = header.record.map((h) => (mapped.has(norm(h)) ? mapped.get(norm(h))! : (byAlias.get(norm(h)) ?? null)));
	const unknown = header.record.filter((h, i) => columns[i] === null && h.trim() !== '' && !mapped.has(norm(h)));
	const taken = new Map<Field, string>();
	header.record.forEach((h, i) => {
		const f = columns[i];
		if (!f) return;
		if (taken.has(f)) errors.push({ line: header.info.lines, message: `columns "${taken.get(f)}" and "${h}" are both ${f}: map one of them to null` });
		taken.set(f, h);
	});
	if (unknown.length && mapping.other_columns === 'error') {
		errors.push({ line: header.info.lines, message: `unknown column(s): ${unknown.join(', ')} (a mapping file can name them, or set "other_columns": "ignore")` });
	}
	for (const required of ['source', 'created_at', 'category'] as const) {
		const defaulted = required !== 'created_at' && mapping.defaults[required] !== undefined;
		if (!columns.includes(required) && !defaulted) errors.push({ line: header.info.lines, message: `missing column: ${required} (${ALIASES[required].slice(1).join(' / ')})` });
	}
	if (errors.length) return { rows: body.length, incidents, events, errors, encoding, delimiter };

	const lk = lookups(city);
	let prevEnd = header.info.lines;
	let prevEmpty = header.info.empty_lines;
	for (const { record, info } of body) {
		const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
		prevEnd = info.lines;
		prevEmpty = info.empty_lines;
		const row: Partial<Record<Field, string>> = {};
		columns.forEach((f, i) => {
			if (f && record[i] !== undefined && record[i] !== '') row[f] = record[i];
		});
		const problems: string[] = [];
		const date = (f: Field): string | undefined => {
			if (row[f] === undefined) return undefined;
			const d = toRfc3339(row[f]!, city) ?? parseMappedDate(mapping, row[f]!, city.calendar.tz);
			if (d === null) problems.push(`${f}: "${row[f]}" is not a date`);
			return d ?? undefined;
		};
		const source = row.source ?? mapping.defaults.source;
		const category = row.category ?? mapping.defaults.category;
		const inc: Record<string, unknown> = {
			source: source !== undefined ? lk.source.get(mapValue(mapping, 'source', source)) : undefined,
			created_at: date('created_at'),
			category: category !== undefined ? lk.category.get(mapValue(mapping, 'category', category)) : undefined
		};
		if (row.district !== undefined) inc.district = lk.district.get(mapValue(mapping, 'district', row.district));
		if (row.lat !== undefined || row.lon !== undefined) {
			inc.lat = row.lat !== undefined ? num(row.lat) : undefined;
			inc.lon = row.lon !== undefined ? num(row.lon) : undefined;
			if (Number.isNaN(inc.lat) || Number.isNaN(inc.lon)) problems.push('lat/lon: not a number');
		}
		for (const f of ['address', 'text', 'url'] as const) if (row[f] !== undefined) inc[f] = row[f];
		for (const f of ['severity', 'deadline_hours'] as const) {
			if (row[f] === undefined) continue;
			inc[f] = num(row[f]!);
			if (Number.isNaN(inc[f])) problems.push(`${f}: "${row[f]}" is not a number`);
		}
		inc.id = row.id ?? `csv-${crypto.createHash('sha1').update(JSON.stringify([inc.source, inc.created_at, inc.category, row.address, row.text, row.lat, row.lon])).digest('hex').slice(0, 20)}`;
		const evs: StatusEventInput[] = [];
		for (const [f, type] of [['assigned_at', 'assigned'], ['responded_at', 'responded'], ['resolved_at', 'resolved']] as const) {
			const at = date(f);
			if (at) evs.push({ incident_id: inc.id as string, type, at, ...(row.executor ? { executor: row.executor } : {}) });
		}
		for (const k of Object.keys(inc)) if (inc[k] === undefined && !['source', 'created_at', 'category'].includes(k)) delete inc[k];
		if (problems.length === 0) {
			const v = validateIncidents([inc], city, now);
			if (!v.ok) problems.push(...v.details.map((d) => `${d.path || 'row'}: ${d.message}`));
			const ve = validateEvents(evs, now);
			if (!ve.ok) problems.push(...ve.details.map((d) => `${evs[d.index ?? 0]?.type ?? 'event'} ${d.path}: ${d.message}`));
			if (v.ok && ve.ok) {
				incidents.push(v.items[0]!);
				events.push(...ve.items);
				continue;
			}
		}
		errors.push({ line, message: problems.join('; ') });
	}
	return { rows: body.length, incidents, events, errors, encoding, delimiter };
}

export interface ImportReport extends Omit<ParsedCsv, 'incidents' | 'events'> {
	imported: number;
	duplicates: number;
	events: number;
}

/** Posts parsed rows to `POST /api/v1/incidents` and `/api/v1/events` in batches. */
export async function importCsv(
	buf: Buffer,
	city: CityPack,
	target: { post(route: string, items: unknown[]): Promise<{ accepted: number; duplicates: number }> },
	opts: { batchSize?: number; mapping?: CsvMapping } = {}
): Promise<ImportReport> {
	const batchSize = opts.batchSize ?? 1000;
	const parsed = parseCsv(buf, city, Date.now, opts.mapping);
	let imported = 0;
	let duplicates = 0;
	let events = 0;
	for (let i = 0; i < parsed.incidents.length; i += batchSize) {
		const r = await target.post('/api/v1/incidents', parsed.incidents.slice(i, i + batchSize));
		imported += r.accepted;
		duplicates += r.duplicates;
	}
	for (let i = 0; i < parsed.events.length; i += batchSize) {
		events += (await target.post('/api/v1/events', parsed.events.slice(i, i + batchSize))).accepted;
	}
	const { incidents: _i, events: _e, ...rest } = parsed;
	return { ...rest, imported, duplicates, events };
}
