/**
 * `npm start`: one process serving pages, the API and Socket.IO on one port, with the embedded engine by
 * default. Prints the links (with their tokens) to open. SIGTERM/SIGINT stop it gracefully.
 */
import { loadConfig } from './config.ts';
import { createApplication } from './app.ts';
import { loadPages } from './pages.ts';
import { startDemo } from './demo.ts';
import { printLinks } from './links.ts';
import { createLogger, errorFields, type Logger } from './log.ts';

async function main(): Promise<void> {
	const config = loadConfig();
	const logger: Logger = createLogger(config.logLevel);
	const pages = await loadPages();
	if (!pages) logger.warn('The front end is not built (run `npm run build`): serving the API and sockets only.');
	const app = await createApplication(config, { pages, logger });
	const port = await app.listen();
	printLinks(config, port, app);

	if (config.demo) await startDemo(app, config);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		logger.info(`${signal}: stopping…`);
		const force = setTimeout(() => process.exit(1), 20_000);
		force.unref();
		app.close().then(
			() => process.exit(0),
			(e: unknown) => {
				logger.error(errorFields(e), 'stop failed');
				process.exit(1);
			}
		);
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
	// A start that fails (a bad variable, an invalid alerts or tokens file) is the answer to the person who
	// ran it: said plainly on stderr, not as a log line.
	process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
	process.exit(1);
});
