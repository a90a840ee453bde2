/** HTTP errors carried as exceptions, and the contract's error envelope they are written in. */
import type { ErrorBody, ErrorDetail } from '../../src/lib/contract/errors.ts';
import { BodyError, type BodyErrorCode } from '../ingest/body.ts';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: ErrorDetail[],
		readonly headers: Record<string, string> = {}
	) {
		super(message);
	}
}

export const unauthorized = () => new HttpError(401, 'unauthorized', 'A valid access token is required');
export const forbidden = () => new HttpError(403, 'forbidden', 'This token has no right to do that');
export const notFound = (what = 'Not found') => new HttpError(404, 'not_found', what);
export const invalid = (message: string, details?: ErrorDetail[]) => new HttpError(400, 'invalid', message, details);

const BODY_STATUS: Record<BodyErrorCode, number> = {
	payload_too_large: 413,
	unsupported_media_type: 415,
	invalid_encoding: 400,
	invalid_json: 400,
	empty_batch: 400
};

/** A refused ingest body as the HTTP answer. */
export function fromBodyError(e: BodyError): HttpError {
	return new HttpError(BODY_STATUS[e.code], e.code, e.message, e.details);
}

export function envelope(err: HttpError): ErrorBody {
	const body: ErrorBody = { error: { code: err.code, message: err.message } };
	if (err.details && err.details.length > 0) body.error.details = err.details;
	return body;
}

export { BodyError };
