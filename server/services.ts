/** The parts of a running application, as route handlers and pages see them. */
import type { Logger } from './log.ts';
import type { CityPublic } from '../src/lib/contract/city.ts';
import type { Scope } from '../src/lib/contract/roles.ts';
import type { Snapshot } from '../src/lib/contract/snapshot.ts';
import type { CityPack } from './city/pack.ts';
import type { Config } from './config.ts';
import type { RateLimiter } from './http/rate-limit.ts';
import type { IngestPipeline } from './ingest/pipeline.ts';
import type { Metrics } from './metrics.ts';
import type { Store } from './store/client.ts';
import type { TokenStore } from './auth/tokens.ts';
import type { Alerts } from './alerts/index.ts';

import type { ReportService } from './reports/service.ts';

export interface AppServices {
	config: Config;
	city: CityPack;
	cityPublic: CityPublic;
	store: Store;
	pipeline: IngestPipeline;
	tokens: TokenStore;
	metrics: Metrics;
	ingestLimiter: RateLimiter;
	/** The weekly report archive (its routes: server/reports/routes.ts). */
	reports: ReportService;
	/** Outbound alerts; null without MCU_ALERTS_FILE. */
	alerts: Alerts | null;
	version: string;
	snapshot(scope: Scope): Promise<Snapshot>;
	storeReachable(): Promise<boolean>;
	now(): Date;
	log(msg: string): void;
	/** Warnings and errors, with their levels. */
	logger: Logger;
}
