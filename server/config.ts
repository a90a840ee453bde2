/**
 * The environment, read once and validated. Nothing else in the project reads `process.env`.
 * A bad value stops the process with a message naming the variable.
 */
import path from 'node:path';
import { z } from 'zod';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const EnvSchema = z.object({
	PORT: z.coerce.number().int().min(0).max(65535).default(3000),
	HOST: z.string().min(1).default('0.0.0.0'),
	MCU_DATA_DIR: z.string().min(1).default('./data'),
	MCU_CITY: z.string().regex(/^[a-z0-9_-]+$/).default('barnaul'),
	MCU_CITY_DIR: z.string().optional(),
	CLICKHOUSE_URL: z.url().optional(),
	CLICKHOUSE_USER: z.string().optional(),
	CLICKHOUSE_PASSWORD: z.string().optional(),
	CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
	CLICKHOUSE_CLUSTER: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/).optional(),
	MCU_TOKENS_FILE: z.string().optional(),
	MCU_DEMO: flag.optional(),
	MCU_DEMO_SPEED: z.coerce.number().positive().max(10_000).optional(),
	MCU_DEMO_SEED: z.coerce.number().int().default(20231101),
	MCU_TZ: z.string().default('Asia/Barnaul'),
	MCU_TILE_URL: z.string().optional(),
	REDIS_URL: z.string().optional(),
	CHROMIUM_PATH: z.string().optional(),
	MCU_REPORT_CRON: z.string().default('0 8 * * 1'),
	MCU_REPORTS: flag.default(true),
	MCU_SPOOL_MAX_BYTES: z.coerce.number().int().positive().default(512 * 1024 * 1024),
	MCU_INGEST_RATE_PER_MIN: z.coerce.number().int().positive().default(6000),
	MCU_PUBLIC_URL: z.string().optional(),
	MCU_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
	MCU_HOTSPOT_FALSE_ALARMS_PER_WEEK: z.coerce.number().positive().max(100).default(1),
	MCU_AUTHOR_SALT: z.string().min(16).optional(),
	MCU_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
	MCU_ALERTS_FILE: z.string().min(1).optional(),
	MCU_TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/ }).default('https://api.telegram.org'),
	MCU_TELEGRAM_POLL_TIMEOUT_S: z.coerce.number().int().min(0).max(50).default(25)
});

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	city: string;
	/** Folder of the city pack; defaults to `city/<MCU_CITY>` in the project. */
	cityDir: string;
	clickhouse: {
		url: string | null;
		user?: string;
		password?: string;
		database: string;
		cluster: string | null;
	};
	tokensFile: string | null;
	demo: boolean;
	/** Multiplier of Barnaul's real rate; null (unset): the lively newcomer's demo (an incident every 20–60 s). */
	demoSpeed: number | null;
	demoSeed: number;
	tz: string;
	tileUrl: string | null;
	redisUrl: string | null;
	chromiumPath: string | null;
	reportCron: string;
	reportsEnabled: boolean;
	spoolMaxBytes: number;
	/** Ingest requests allowed per token per minute before 429. */
	ingestRatePerMin: number;
	publicUrl: string | null;
	logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
	/** When set, `/metrics` needs `Authorization: Bearer` with it. */
	metricsToken: string | null;
	/** Outbound alerts: the alerts file (server/alerts/config.ts), or null for none. */
	alertsFile: string | null;
	telegramApiRoot: string;
	/** Seconds a Telegram getUpdates long poll may wait (0 = short polling, for tests). */
	telegramPollTimeoutS: number;
	/** Hotspot false-alarm budget, episodes a week city-wide, both kinds together; thresholds are calibrated to it. */
	hotspotFalseAlarmsPerWeek: number;
	/** Salt of the author hash; null: a random one generated once into the data dir. */
	authorSalt: string | null;
}

const projectRoot = path.resolve(import.meta.dirname, '..');

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
	const parsed = EnvSchema.safeParse(env);
	if (!parsed.success) {
		const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
		throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
	}
	const e = parsed.data;
	try {
		new Intl.DateTimeFormat('en', { timeZone: e.MCU_TZ });
	} catch {
		throw new Error(`Invalid configuration:\n  MCU_TZ: unknown time zone "${e.MCU_TZ}"`);
	}
	const url = e.CLICKHOUSE_URL ?? null;
	return {
		port: e.PORT,
		host: e.HOST,
		dataDir: path.resolve(e.MCU_DATA_DIR),
		city: e.MCU_CITY,
		cityDir: path.resolve(e.MCU_CITY_DIR ?? path.join(projectRoot, 'city', e.MCU_CITY)),
		clickhouse: {
			url,
			user: e.CLICKHOUSE_USER,
			password: e.CLICKHOUSE_PASSWORD,
			database: e.CLICKHOUSE_DATABASE ?? (url ? 'mcu' : 'default'),
			cluster: e.CLICKHOUSE_CLUSTER ?? null
		},
		tokensFile: e.MCU_TOKENS_FILE ? path.resolve(e.MCU_TOKENS_FILE) : null,
		demo: e.MCU_DEMO ?? url === null,
		demoSpeed: e.MCU_DEMO_SPEED ?? null,
		demoSeed: e.MCU_DEMO_SEED,
		tz: e.MCU_TZ,
		tileUrl: e.MCU_TILE_URL ?? null,
		redisUrl: e.REDIS_URL ?? null,
		chromiumPath: e.CHROMIUM_PATH ?? null,
		reportCron: e.MCU_REPORT_CRON,
		reportsEnabled: e.MCU_REPORTS,
		spoolMaxBytes: e.MCU_SPOOL_MAX_BYTES,
		ingestRatePerMin: e.MCU_INGEST_RATE_PER_MIN,
		publicUrl: e.MCU_PUBLIC_URL ?? null,
		logLevel: e.MCU_LOG_LEVEL,
		metricsToken: e.MCU_METRICS_TOKEN ?? null,
		alertsFile: e.MCU_ALERTS_FILE ? path.resolve(e.MCU_ALERTS_FILE) : null,
		telegramApiRoot: e.MCU_TELEGRAM_API_ROOT,
		telegramPollTimeoutS: e.MCU_TELEGRAM_POLL_TIMEOUT_S,
		hotspotFalseAlarmsPerWeek: e.MCU_HOTSPOT_FALSE_ALARMS_PER_WEEK,
		authorSalt: e.MCU_AUTHOR_SALT ?? null
	};
}
