/**
 * `npm start`: one process serving pages, the API and Socket.IO on one port, with the embedded engine by
 * default. Prints the links (with their tokens) to open. SIGTERM/SIGINT stop it gracefully.
 */
import { loadConfig } from './config.ts';
import { createApplication } from './app.ts';
import { loadPages } from './pages.ts';
import { startDemo } from './demo.ts';
import { printLinks } from './links.ts';

async function main(): Promise<void> {
	const config = loadConfig();
	const pages = await loadPages();
	if (!pages) console.warn('The front end is not built (run `npm run build`): serving the API and sockets only.');
	const app = await createApplication(config, { pages });
	const port = await app.listen();
	printLinks(config, port, app);

	if (config.demo) await startDemo(app, config);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`${signal}: stopping…`);
		const force = setTimeout(() => process.exit(1), 20_000);
		force.unref();
		app.close().then(
			() => process.exit(0),
			(e: unknown) => {
				console.error(e);
				process.exit(1);
			}
		);
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
	console.error(e instanceof Error ? e.message : e);
	process.exit(1);
});
