/**
 * Reading an ingest body: at most 10 MB, UTF-8 only, JSON (one object or an array) or NDJSON, at most
 * 10 000 items. Everything refused here is refused before any item is looked at.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../http/errors.ts';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_ITEMS = 10_000;

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
	const declared = Number(req.headers['content-length']);
	if (Number.isFinite(declared) && declared > limit) throw tooLarge();
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > limit) throw tooLarge();
		chunks.push(chunk);
	}
	return Buffer.concat(chunks, size);
}

function tooLarge(): HttpError {
	return new HttpError(413, 'payload_too_large', `The body is over ${MAX_BODY_BYTES / 1024 / 1024} MB or ${MAX_ITEMS} items`);
}

export type BodyFormat = 'json' | 'ndjson';

export function bodyFormat(contentType: string | undefined): BodyFormat {
	const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
	if (type === 'application/json') return 'json';
	if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
	throw new HttpError(415, 'unsupported_media_type', 'Send application/json (an object or an array) or application/x-ndjson');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The items of a body: one object becomes a batch of one. */
export function parseItems(body: Buffer, format: BodyFormat): unknown[] {
	let text: string;
	try {
		text = utf8.decode(body);
	} catch {
		throw new HttpError(400, 'invalid_encoding', 'The body is not valid UTF-8');
	}
	const items = format === 'json' ? parseJson(text) : parseNdjson(text);
	if (items.length > MAX_ITEMS) throw tooLarge();
	if (items.length === 0) throw new HttpError(400, 'empty_batch', 'The body holds no items');
	return items;
}

function parseJson(text: string): unknown[] {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		throw new HttpError(400, 'invalid_json', `The body is not valid JSON: ${(e as Error).message.slice(0, 200)}`);
	}
	if (Array.isArray(value)) return value;
	if (value !== null && typeof value === 'object') return [value];
	throw new HttpError(400, 'invalid_json', 'The body must be a JSON object or an array of objects');
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
			throw new HttpError(400, 'invalid_json', `Line ${i + 1} is not valid JSON`, [
				{ index: items.length, path: '', message: `line ${i + 1} is not valid JSON` }
			]);
		}
	}
	return items;
}
