/** HTTP errors carried as exceptions and written in the contract's envelope. */
import type { ServerResponse } from 'node:http';
import type { ErrorBody, ErrorDetail } from '../../src/lib/contract/errors.ts';

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

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json; charset=utf-8',
		'content-length': Buffer.byteLength(payload),
		'cache-control': 'no-store',
		'x-content-type-options': 'nosniff',
		...headers
	});
	res.end(payload);
}

export function sendError(res: ServerResponse, err: HttpError): void {
	const body: ErrorBody = { error: { code: err.code, message: err.message } };
	if (err.details && err.details.length > 0) body.error.details = err.details;
	if (res.headersSent) {
		res.destroy();
		return;
	}
	sendJson(res, err.status, body, err.headers);
}
