/**
 * `/api/docs`: the OpenAPI document read through Swagger UI, served from the product's own files
 * (swagger-ui-dist): the МЦУ network may be closed to CDNs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const DIST = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The page's own start script: a file, so the page's CSP needs no inline script. */
const INIT_JS = `window.addEventListener('load', function () {
	window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false });
});
`;

/** The files the page may load: an allow-list, never a path from the request. */
export const DOCS_ASSETS: Readonly<Record<string, { type: string; file: string | null }>> = {
	'swagger-ui.css': { type: 'text/css; charset=utf-8', file: 'swagger-ui.css' },
	'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', file: 'swagger-ui-bundle.js' },
	'favicon-32x32.png': { type: 'image/png', file: 'favicon-32x32.png' },
	'docs.js': { type: 'text/javascript; charset=utf-8', file: null }
};

const cache = new Map<string, Buffer>();

/** The bytes of an allowed asset, or null for any other name. */
export function docsAsset(name: string): { type: string; body: Buffer } | null {
	const asset = Object.hasOwn(DOCS_ASSETS, name) ? DOCS_ASSETS[name] : undefined;
	if (!asset) return null;
	let body = cache.get(name);
	if (!body) {
		body = asset.file === null ? Buffer.from(INIT_JS) : fs.readFileSync(path.join(DIST, asset.file));
		cache.set(name, body);
	}
	return { type: asset.type, body };
}

export const DOCS_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

export const DOCS_HTML = `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>МЦУ Пульс — API</title>
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/docs.js"></script>
</body>
</html>
`;
