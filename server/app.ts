/**
 * The composition root: builds every part of one aggregator process from a config and wires them together.
 * `main.ts` runs it from the command line; tests start it in-process; `vite dev` attaches it to the dev server.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Config } from './config.ts';
import { cityPublic, loadCityPack } from './city/pack.ts';
import { createStore, pingStore, type Store } from './store/client.ts';
import { migrate } from './store/migrate.ts';
import { Spool } from './ingest/spool.ts';
import { IngestPipeline } from './ingest/pipeline.ts';
import { createLiveServer, type LiveServer } from './realtime/live-server.ts';
import { connectRedisAdapter } from './realtime/redis-adapter.ts';
import { coalesceByScope } from './realtime/snapshot-coalescer.ts';
import { createAnalytics, type Analytics } from './analytics/index.ts';
import { Metrics } from './metrics.ts';
import { authorSalt } from './ingest/author.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { handleApi } from './http/api.ts';
import { TokenStore, ensureDemoTokens, readDemoTokens, type DemoTokens } from './auth/tokens.ts';
import { setServerContext, type ServerContext } from '../src/lib/server/context.ts';
import { pageContext } from './page-context.ts';
import { createReportsHttp } from './reports-wiring.ts';
import type { AppServices } from './services.ts';

export interface Application {
	services: AppServices;
	server: http.Server;
	live: LiveServer;
	analytics: Analytics;
	/** Tokens of the demo file (or of MCU_TOKENS_FILE), first per role. */
	tokens: DemoTokens;
	/** Starts listening; resolves with the bound port. */
	listen(): Promise<number>;
	/** Graceful stop: no new requests, queued writes flushed, sockets and engine closed. */
	close(): Promise<void>;
	/** Hooks run at close, before the store is closed (simulator, schedulers…). */
	onClose(fn: () => Promise<void> | void): void;
}

type PageHandler = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

export interface ApplicationOptions {
	/** The built SvelteKit handler; without it only the API and sockets are served. */
	pages?: PageHandler | null;
	/** Attach to an existing HTTP server (vite dev) instead of creating one. */
	httpServer?: http.Server;
	log?: (msg: string) => void;
	now?: () => Date;
}

const projectRoot = path.resolve(import.meta.dirname, '..');

export function appVersion(): string {
	const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
	const versionFile = path.join(projectRoot, 'build', 'client', '_app', 'version.json');
	const build = fs.existsSync(versionFile) ? (JSON.parse(fs.readFileSync(versionFile, 'utf8')) as { version: string }).version : 'dev';
	return `${pkg.version}+${build}`;
}

export async function createApplication(config: Config, opts: ApplicationOptions = {}): Promise<Application> {
	// Operational messages are informational; MCU_LOG_LEVEL=warn (or higher) keeps them out of the output.
	const verbose = config.logLevel === 'debug' || config.logLevel === 'info';
	const log = opts.log ?? ((msg: string) => (verbose ? console.log(msg) : undefined));
	const now = opts.now ?? (() => new Date());
	fs.mkdirSync(config.dataDir, { recursive: true });
	const city = loadCityPack(config.cityDir, config.tz);
	const districtCodes = city.districts.map((d) => d.code);
	const tokensFile = config.tokensFile ?? ensureDemoTokens(config.dataDir, districtCodes).file;
	const tokens = new TokenStore(tokensFile);
	const store: Store = await createStore(config);
	await migrate(store, { cluster: config.clickhouse.cluster });
	const metrics = new Metrics();
	const spool = new Spool(path.join(config.dataDir, 'spool'), config.spoolMaxBytes);
	const version = appVersion();

	const server = opts.httpServer ?? http.createServer();
	// With REDIS_URL several processes share broadcasts and recovery sessions (docs/deployment.md).
	const redis = config.redisUrl ? await connectRedisAdapter(config.redisUrl, log) : null;
	let analytics: Analytics | null = null;
	const live = createLiveServer(server, {
		authenticate: (token) => tokens.resolve(token),
		snapshot: coalesceByScope((scope) => analytics!.snapshot(scope)),
		districtCodes: new Set([...districtCodes, 'unknown']),
		version,
		onSocketCount: (scope, delta) => metrics.sockets.inc({ scope }, delta),
		log,
		adapter: redis?.adapter
	});
	analytics = createAnalytics({
		store,
		city,
		config,
		publisher: live.publisher,
		now,
		log,
		hotspotCalibration: 'background',
		onHotspotCalibration: (c, ms) => {
			metrics.hotspotCalibrated(c, now());
			log(`hotspot thresholds: local ${c.local}, surge ${c.surge} (history ${c.historyDays.toFixed(1)} d, ${ms} ms)`);
		}
	});
	const pipeline = new IngestPipeline({
		store,
		city,
		spool,
		publisher: live.publisher,
		metrics: metrics.ingest(),
		authorSalt: authorSalt(config),
		onStored: (districts) => {
			analytics!.notifyIngest(districts);
			// Other processes recompute their sockets' numbers from the shared store too.
			if (redis) live.nsp.serverSideEmit('mcu:ingested', [...districts]);
		},
		log,
		now
	});
	if (redis) live.nsp.on('mcu:ingested', (districts) => analytics!.notifyIngest(new Set(districts)));

	const reports = await createReportsHttp({ store, cityPublic: cityPublic(city), config, now, log }, server);
	const services: AppServices = {
		config,
		city,
		cityPublic: cityPublic(city),
		store,
		pipeline,
		tokens,
		metrics,
		ingestLimiter: new RateLimiter(config.ingestRatePerMin),
		reports: reports.http,
		version,
		snapshot: (scope) => metrics.timeQuery('snapshot', () => analytics!.snapshot(scope)),
		storeReachable: async () => {
			const up = await pingStore(store);
			metrics.storeUp.set(up && pipeline.storeUp ? 1 : 0);
			const depth = pipeline.spoolDepth;
			metrics.spoolEntries.set(depth.entries);
			metrics.spoolBytes.set(depth.bytes);
			return up;
		},
		now,
		log
	};
	const closeHooks: (() => Promise<void> | void)[] = [reports.stop];

	const ctx: ServerContext = pageContext(services);
	setServerContext(ctx);

	const pages = opts.pages ?? null;
	if (!opts.httpServer) {
		server.on('request', (req, res) => {
			void handleApi(req, res, services).then((handled) => {
				if (handled) return;
				if (pages) return pages(req, res, () => notFoundPage(res));
				notFoundPage(res);
			});
		});
	}
	server.keepAliveTimeout = 65_000;
	analytics.start();

	let closing: Promise<void> | null = null;
	const app: Application = {
		services,
		server,
		live,
		analytics,
		tokens: readDemoTokens(tokensFile),
		listen: () =>
			new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(config.port, config.host, () => {
					const addr = server.address();
					resolve(typeof addr === 'object' && addr ? addr.port : config.port);
				});
			}),
		onClose: (fn) => closeHooks.push(fn),
		close: () =>
			(closing ??= (async () => {
				for (const fn of closeHooks.reverse()) await fn();
				// Stop accepting; requests in flight finish, then queued writes are flushed.
				const stopped = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
				server.closeIdleConnections?.();
				await pipeline.close();
				await analytics!.stop();
				await live.close();
				await redis?.close();
				server.closeAllConnections?.();
				await stopped;
				await store.close();
				setServerContext(null);
			})())
	};
	return app;
}

function notFoundPage(res: http.ServerResponse): void {
	res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
	res.end('Страница не найдена');
}
