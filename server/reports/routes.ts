/**
 * `/api/v1/reports…`: the archive list, on-demand generation (admin, 202 + id) and the files.
 * The router has checked the route's right already (read, or admin for POST); here the scope narrows
 * what a district token sees: finished reports, and only its own district's PDF.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { resolveScope, type Principal, type Scope } from '../../src/lib/contract/roles.ts';
import { ReportAcceptedSchema, ReportListSchema, ReportRequestSchema } from '../../src/lib/contract/reports.ts';
import { defineRoute } from '../http/route.ts';
import { HttpError, forbidden, notFound } from '../http/errors.ts';
import { ReportRequestError, type ReportFile } from './service.ts';

const CONTENT_TYPES: Record<ReportFile, string> = { 'report.pdf': 'application/pdf', 'overview.png': 'image/png' };

const ID_RE = /^[A-Za-z0-9_-]{1,80}$/;
const isReportFile = (name: string): name is ReportFile => Object.hasOwn(CONTENT_TYPES, name);

function readerScope(principal: Principal): Scope {
	const scope = resolveScope(principal, null);
	if (scope === 'forbidden') throw forbidden();
	return scope;
}

export const reportRoutes = [
	defineRoute({
		method: 'GET',
		path: '/api/v1/reports',
		need: 'read',
		summary: 'The weekly report archive (a district token sees finished reports only)',
		tags: ['reports'],
		response: { 200: ReportListSchema },
		handle: async ({ services, principal }) => ({ items: services.reports.list(readerScope(principal!)) })
	}),
	defineRoute({
		method: 'POST',
		path: '/api/v1/reports',
		need: 'admin',
		summary: "Generate one week's report now (202 with its id)",
		tags: ['reports'],
		body: ReportRequestSchema,
		invalidMessage: 'Expected {"week":"YYYY-Www"}',
		response: { 202: ReportAcceptedSchema },
		handle: async ({ body, services, reply }) => {
			try {
				const id = services.reports.request(body.week);
				reply.code(202);
				return { id, status: services.reports.get(id)?.status ?? 'queued' };
			} catch (e) {
				if (e instanceof ReportRequestError) throw new HttpError(e.status, e.code, e.message, [{ path: 'week', message: e.message }]);
				throw e;
			}
		}
	}),
	defineRoute({
		method: 'GET',
		path: '/api/v1/reports/:id/:file',
		need: 'read',
		summary: "A report's file: report.pdf (a district token gets its district's), overview.png (city readers)",
		tags: ['reports'],
		params: z.object({ id: z.string().describe('the report id, as listed'), file: z.string().describe('report.pdf or overview.png') }),
		response: {
			200: { description: 'the file', content: { 'application/pdf': { schema: z.string() }, 'image/png': { schema: z.string() } } }
		},
		handle: async ({ params, services, principal, reply }) => {
			const scope = readerScope(principal!);
			const { id, file: name } = params;
			if (!ID_RE.test(id) || !isReportFile(name)) throw notFound();
			if (scope.district !== null && name === 'overview.png') throw forbidden();
			const file = services.reports.filePath(id, name, scope);
			if (!file) throw notFound('No such report file (or it is not made yet)');
			const download = scope.district ? `${id}-${scope.district}.pdf` : `${id}-${name}`;
			return reply
				.type(CONTENT_TYPES[name])
				.headers({
					'content-length': fs.statSync(file).size,
					'content-disposition': `inline; filename="${download}"`,
					'cache-control': 'private, max-age=3600'
				})
				.send(fs.createReadStream(file));
		}
	})
];
