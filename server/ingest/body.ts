/**
 * Reading an ingest body: at most 10 MB (the router's body limit), UTF-8 only, JSON (one object or an array)
 * or NDJSON, at most 10 000 items. Everything refused here is refused before any item is looked at.
 * Refusals are `BodyError`s with the contract's error code; the HTTP layer turns a code into a status.
 */
import type { ErrorDetail } from '../../src/lib/contract/errors.ts';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_ITEMS = 10_000;

export type BodyErrorCode = 'payload_too_large' | 'unsupported_media_type' | 'invalid_encoding' | 'invalid_json' | 'empty_batch';

export class BodyError extends Error {
	constructor(
		readonly code: BodyErrorCode,
		message: string,
		readonly details?: ErrorDetail[]
	) {
		super(message);
	}
}

export const tooLarge = () => new BodyError('payload_too_large', `The body is over ${MAX_BODY_BYTES / 1024 / 1024} MB or ${MAX_ITEMS} items`);
export const unsupportedType = () => new BodyError('unsupported_media_type', 'Send application/json (an object or an array) or application/x-ndjson');

export type BodyFormat = 'json' | 'ndjson';

/** The media types an ingest route takes, and the format each means. */
export const BODY_TYPES: Readonly<Record<string, BodyFormat>> = {
	'application/json': 'json',
	'application/x-ndjson': 'ndjson',
	'application/ndjson': 'ndjson'
};

export function bodyFormat(contentType: string | undefined): BodyFormat {
	const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
	const format = BODY_TYPES[type];
	if (!format) throw unsupportedType();
	return format;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The items of a body: one object becomes a batch of one. */
export function parseItems(body: Buffer, format: BodyFormat): unknown[] {
	let text: string;
	try {
		text = utf8.decode(body);
	} catch {
		throw new BodyError('invalid_encoding', 'The body is not valid UTF-8');
	}
	const items = format === 'json' ? parseJson(text) : parseNdjson(text);
	if (items.length > MAX_ITEMS) throw tooLarge();
	if (items.length === 0) throw new BodyError('empty_batch', 'The body holds no items');
	return items;
}

function parseJson(text: string): unknown[] {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		throw new BodyError('invalid_json', `The body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
	}
	if (Array.isArray(value)) return value;
	if (value !== null && typeof value === 'object') return [value];
	throw new BodyError('invalid_json', 'The body must be a JSON object or an array of objects');
}

function parseNdjson(text: string): unknown[] {
	const items: unknown[] = [];
	const lines = text.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i]!.trim();
		if (line === '') continue;
		if (items.length >= MAX_ITEMS) throw tooLarge();
		try {
			items.push(JSON.parse(line));
		} catch {
			throw new BodyError('invalid_json', `Line ${i + 1} is not valid JSON`, [
				{ index: items.length, path: '', message: `line ${i + 1} is not valid JSON` }
			]);
		}
	}
	return items;
}
