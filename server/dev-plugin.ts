/**
 * In `vite dev` the same aggregator (API, Socket.IO, analytics, demo) attaches to Vite's own HTTP server,
 * so the dev front end talks to the real thing on one port.
 */
import type { Plugin } from 'vite';

export function realtimeDevPlugin(): Plugin {
	return {
		name: 'mcu-pulse-aggregator',
		apply: 'serve',
		async configureServer(server) {
			if (!server.httpServer || server.config.mode === 'test') return;
			const { loadConfig } = await import('./config.ts');
			const { createApplication } = await import('./app.ts');
			const { isApiPath } = await import('./http/router.ts');
			const { startDemo } = await import('./demo.ts');
			const config = loadConfig();
			const app = await createApplication(config, { httpServer: server.httpServer as import('node:http').Server });
			// The API paths go to the one router; the pages stay with Vite's own SvelteKit middleware.
			server.middlewares.use((req, res, next) => {
				if (isApiPath((req.url ?? '/').split('?')[0]!)) app.router.routing(req, res);
				else next();
			});
			if (config.demo) await startDemo(app, config);
			server.httpServer.once('close', () => void app.close());
		}
	};
}
