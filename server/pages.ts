/** Loads the built SvelteKit handler (adapter-node's `build/handler.js`), if the app has been built. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type http from 'node:http';

export type PageHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

export const BUILD_DIR = path.resolve(import.meta.dirname, '..', 'build');

/**
 * The header through which this process tells adapter-node the request's protocol. Without one, adapter-node
 * takes every request for https, and SvelteKit's same-origin check then refuses the pages' own form posts
 * made over plain http (a control room LAN).
 */
const PROTOCOL_HEADER = 'x-mcu-protocol';

export async function loadPages(buildDir = BUILD_DIR): Promise<PageHandler | null> {
	const file = path.join(buildDir, 'handler.js');
	if (!fs.existsSync(file)) return null;
	// adapter-node reads its settings from the environment when the handler module is loaded.
	process.env.PROTOCOL_HEADER = PROTOCOL_HEADER;
	const mod = (await import(pathToFileURL(file).href)) as { handler: PageHandler };
	return (req, res, next) => {
		req.headers[PROTOCOL_HEADER] = protocolOf(req);
		mod.handler(req, res, next);
	};
}

/** https when the socket is TLS or a proxy in front says so; a client cannot make a plain request look local-https otherwise. */
function protocolOf(req: http.IncomingMessage): 'http' | 'https' {
	if ((req.socket as { encrypted?: boolean }).encrypted) return 'https';
	const forwarded = req.headers['x-forwarded-proto'];
	const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
	return first === 'https' ? 'https' : 'http';
}
