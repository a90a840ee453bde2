/** Loads the built SvelteKit handler (adapter-node's `build/handler.js`), if the app has been built. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type http from 'node:http';

export type PageHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

export const BUILD_DIR = path.resolve(import.meta.dirname, '..', 'build');

export async function loadPages(buildDir = BUILD_DIR): Promise<PageHandler | null> {
	const file = path.join(buildDir, 'handler.js');
	if (!fs.existsSync(file)) return null;
	const mod = (await import(pathToFileURL(file).href)) as { handler: PageHandler };
	return mod.handler;
}
