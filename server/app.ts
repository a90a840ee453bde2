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
import type { LivePublisher } from './realtime/publisher.ts';
import { coalesceByScope } from './realtime/snapshot-coalescer.ts';
import { createAnalytics, type Analytics } from './analytics/index.ts';
import { Metrics } from './metrics.ts';
import { authorSalt } from './ingest/author.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { createRouter, serveWith } from './http/router.ts';
import type { FastifyInstance } from 'fastify';
import { TokenStore, ensureDemoTokens, readDemoTokens, type DemoTokens } from './auth/tokens.ts';
import { setServerContext, type ServerContext } from '../src/lib/server/context.ts';
import { pageContext } from './page-context.ts';
import { createReports } from './reports-wiring.ts';
import type { AppServices } from './services.ts';
import { createLogger, errorFields, type Logger } from './log.ts';
import { createAlerts, type Alerts } from './alerts/index.ts';
import { knownOf, readAlertsFile } from './alerts/config.ts';
import { registerAlertMetrics } from './alerts/metrics.ts';
import { repeatWindows } from './places/windows.ts';
import { startPlaces } from './places/start.ts';
import { learnKeys, redisClaim, storedKeys } from './ingest/redis-claim.ts';
import { warmSnapshot } from './warm-snapshot.ts';

/** How long a snapshot waits for acknowledged rows to reach the store before it reads. */
const SNAPSHOT_SETTLE_MS = 2000;

export interface Application {
	services: AppServices;
	server: http.Server;
	live: LiveServer;
	/** The one router (API, OpenAPI, pages); `vite dev` hands it the API paths. */
	router: FastifyInstance;
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
	/** Informational messages; defaults to the logger's `info`. */
	log?: (msg: string) => void;
	/** Defaults to one at `MCU_LOG_LEVEL`. */
	logger?: Logger;
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
	const logger = opts.logger ?? createLogger(config.logLevel);
	const log = opts.log ?? ((msg: string) => logger.info(msg));
	const now = opts.now ?? (() => new Date());
	fs.mkdirSync(config.dataDir, { recursive: true });
	const city = loadCityPack(config.cityDir, config.tz);
	const districtCodes = city.districts.map((d) => d.code);
	// An invalid alerts file stops the start here, before the engine is opened, with the field named.
	if (config.alertsFile) readAlertsFile(config.alertsFile, knownOf(city));
	const tokensFile = config.tokensFile ?? ensureDemoTokens(config.dataDir, districtCodes).file;
	const tokens = new TokenStore(tokensFile, (problem) => logger.error(problem));
	const store: Store = await createStore(config);
	await migrate(store, { cluster: config.clickhouse.cluster });
	const repeatIndex = await startPlaces(store, city, config.clickhouse.cluster, now(), log);
	const metrics = new Metrics();
	const spool = new Spool(path.join(config.dataDir, 'spool'), config.spoolMaxBytes);
	const version = appVersion();

	const server = opts.httpServer ?? http.createServer();
	// Served before Socket.IO attaches, so engine.io keeps its own paths and hands the rest on.
	let router: FastifyInstance | null = null;
	if (!opts.httpServer) serveWith(server, () => router);
	// With REDIS_URL several processes share broadcasts and recovery sessions (docs/deployment.md).
	const redis = config.redisUrl ? await connectRedisAdapter(config.redisUrl, log) : null;
	let analytics: Analytics | null = null;
	const live = createLiveServer(server, {
		authenticate: (token) => tokens.resolve(token),
		// A snapshot reads the store: it waits (briefly) for what was acknowledged and pushed before it was asked.
		snapshot: coalesceByScope(async (scope) => {
			await pipeline.settled(SNAPSHOT_SETTLE_MS);
			return analytics!.snapshot(scope);
		}),
		districtCodes: new Set([...districtCodes, 'unknown']),
		version,
		onSocketCount: (scope, delta) => metrics.sockets.inc({ scope }, delta),
		log,
		adapter: redis?.adapter
	});
	// Outbound alerts listen on the live publish path (after durable writes); an invalid alerts file throws here.
	const alerts: Alerts | null = config.alertsFile
		? await createAlerts({
				file: config.alertsFile,
				dataDir: config.dataDir,
				city,
				store,
				telegramApiRoot: config.telegramApiRoot,
				publicUrl: config.publicUrl,
				submitEvents: (events): Promise<unknown> => pipeline.submitEvents(events),
				settled: (ms) => pipeline.settled(ms),
				health: async () => ({ storeUp: pipeline.storeUp && (await pingStore(store)), spoolBytes: pipeline.spoolDepth.bytes, spoolMaxBytes: config.spoolMaxBytes }),
				log,
				now,
				timing: { pollTimeoutS: config.telegramPollTimeoutS }
			})
		: null;
	const publisher: LivePublisher = alerts ? alerts.tee(live.publisher) : live.publisher;
	if (alerts) registerAlertMetrics(metrics.registry, () => alerts.view());
	analytics = createAnalytics({
		store,
		city,
		config,
		publisher,
		now,
		log,
		repeatWindows: repeatWindows(city),
		alertAcceptance: alerts !== null,
		logError: (msg, err) => logger.error(errorFields(err), msg),
		hotspotCalibration: 'background',
		onHotspotCalibration: (c, ms) => {
			metrics.hotspotCalibrated(c, now());
			log(`hotspot thresholds: local ${c.local}, surge ${c.surge} (history ${c.historyDays.toFixed(1)} d, ${ms} ms)`);
		}
	});
	const pipeline: IngestPipeline = new IngestPipeline({
		store,
		city,
		spool,
		publisher,
		metrics: metrics.ingest(),
		claim: redis ? redisClaim(redis.client, log) : undefined,
		onStoredRows: redis ? (kind, rows) => live.nsp.serverSideEmit('mcu:keys', storedKeys(kind, rows)) : undefined,
		authorSalt: authorSalt(config),
		onStored: (districts) => {
			analytics!.notifyIngest(districts);
			// Other processes recompute their sockets' numbers from the shared store too.
			if (redis) live.nsp.serverSideEmit('mcu:ingested', [...districts]);
		},
		log,
		now,
		repeats: repeatIndex
	});
	if (redis) live.nsp.on('mcu:ingested', (districts) => analytics!.notifyIngest(new Set(districts)));
	if (redis) live.nsp.on('mcu:keys', (keys) => learnKeys(pipeline, keys));
	await pipeline.start();

	const reports = await createReports({ store, cityPublic: cityPublic(city), config, now, log }, server);
	const services: AppServices = {
		config,
		city,
		cityPublic: cityPublic(city),
		store,
		pipeline,
		tokens,
		metrics,
		ingestLimiter: new RateLimiter(config.ingestRatePerMin),
		reports: reports.service,
		alerts,
		version,
		snapshot: (scope) => metrics.timeQuery('snapshot', async () => (await pipeline.settled(SNAPSHOT_SETTLE_MS), analytics!.snapshot(scope))),
		storeReachable: async () => {
			const up = await pingStore(store);
			metrics.storeUp.set(up && pipeline.storeUp ? 1 : 0);
			const depth = pipeline.spoolDepth;
			metrics.spoolEntries.set(depth.entries);
			metrics.spoolBytes.set(depth.bytes);
			return up;
		},
		now,
		log,
		logger
	};
	const closeHooks: (() => Promise<void> | void)[] = [reports.stop];

	const ctx: ServerContext = pageContext(services);
	setServerContext(ctx);

	router = await createRouter(services, { pages: opts.pages ?? null });
	server.keepAliveTimeout = 65_000;
	analytics.start();
	alerts?.start();

	let closing: Promise<void> | null = null;
	const app: Application = {
		services,
		server,
		live,
		router,
		analytics,
		tokens: readDemoTokens(tokensFile),
		listen: async () => {
			// The first page view after start must not compute a cold snapshot: the city one is made now.
			await warmSnapshot(services, log);
			return new Promise((resolve, reject) => {
				server.once('error', reject);
				server.listen(config.port, config.host, () => {
					const addr = server.address();
					resolve(typeof addr === 'object' && addr ? addr.port : config.port);
				});
			});
		},
		onClose: (fn) => closeHooks.push(fn),
		close: () =>
			(closing ??= (async () => {
				for (const fn of closeHooks.reverse()) await fn();
				await alerts?.stop();
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
