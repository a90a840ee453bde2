/**
 * `/api/v1/reports…`: the archive list, on-demand generation (admin, 202 + id) and the files.
 * The API dispatcher has checked the route's right already (read, or admin for POST); here the
 * scope narrows what a district token sees: finished reports, and only its own district's PDF.
 */
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { isAdmin, resolveScope, type Principal, type Scope } from '../../src/lib/contract/roles.ts';
import { HttpError, forbidden, notFound, sendError, sendJson, unauthorized } from '../http/errors.ts';
import { readBody } from '../ingest/body.ts';
import { ReportRequestError, type ReportFile, type ReportService } from './service.ts';

const FILE_RE = /^\/api\/v1\/reports\/([A-Za-z0-9_-]{1,80})\/(report\.pdf|overview\.png)$/;
const RequestBody = z.object({ week: z.string().max(16) });
const CONTENT_TYPES: Record<ReportFile, string> = { 'report.pdf': 'application/pdf', 'overview.png': 'image/png' };

function readerScope(principal: Principal | null): Scope {
	if (!principal) throw unauthorized();
	const scope = resolveScope(principal, null);
	if (scope === 'forbidden') throw forbidden();
	return scope;
}

async function requestReport(req: IncomingMessage, res: ServerResponse, principal: Principal, service: ReportService): Promise<void> {
	if (!isAdmin(principal)) throw forbidden();
	let body: unknown;
	try {
		body = JSON.parse((await readBody(req)).toString('utf8'));
	} catch {
		throw new HttpError(400, 'invalid', 'The body is not JSON');
	}
	const parsed = RequestBody.safeParse(body);
	if (!parsed.success) throw new HttpError(400, 'invalid', 'Expected {"week":"YYYY-Www"}', [{ path: 'week', message: 'is required' }]);
	try {
		const id = service.request(parsed.data.week);
		sendJson(res, 202, { id, status: service.get(id)?.status ?? 'queued' });
	} catch (e) {
		if (e instanceof ReportRequestError) throw new HttpError(e.status, e.code, e.message, [{ path: 'week', message: e.message }]);
		throw e;
	}
}

function sendFile(res: ServerResponse, file: string, type: string, name: string): void {
	const size = fs.statSync(file).size;
	res.writeHead(200, {
		'content-type': type,
		'content-length': size,
		'content-disposition': `inline; filename="${name}"`,
		'cache-control': 'private, max-age=3600',
		'x-content-type-options': 'nosniff'
	});
	fs.createReadStream(file).pipe(res);
}

/** Makes the handler the application mounts; it answers the route or returns false ("not mine"). */
export function createReportsHandler(service: ReportService) {
	return async function handleReportsRequest(
		req: IncomingMessage,
		res: ServerResponse,
		principal: Principal | null,
		url: URL
	): Promise<boolean> {
		const p = url.pathname;
		if (p !== '/api/v1/reports' && !p.startsWith('/api/v1/reports/')) return false;
		try {
			if (p === '/api/v1/reports' && req.method === 'GET') {
				sendJson(res, 200, { items: service.list(readerScope(principal)) });
				return true;
			}
			if (p === '/api/v1/reports' && req.method === 'POST') {
				if (!principal) throw unauthorized();
				await requestReport(req, res, principal, service);
				return true;
			}
			const m = FILE_RE.exec(p);
			if (m && req.method === 'GET') {
				const scope = readerScope(principal);
				const [id, name] = [m[1]!, m[2] as ReportFile];
				if (scope.district !== null && name === 'overview.png') throw forbidden();
				const file = service.filePath(id, name, scope);
				if (!file) throw notFound('No such report file (or it is not made yet)');
				const download = scope.district ? `${id}-${scope.district}.pdf` : `${id}-${name}`;
				sendFile(res, file, CONTENT_TYPES[name], download);
				return true;
			}
			return false;
		} catch (e) {
			if (e instanceof HttpError) {
				sendError(res, e);
				return true;
			}
			throw e;
		}
	};
}
