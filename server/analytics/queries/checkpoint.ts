/**
 * The statements behind analytics checkpoints (see ../checkpoint.ts and migration 010):
 * - guard: incidents created and `responded` events given at or before `{t}`, as the total minus what
 *   came after `{t}` (the totals come from part metadata, the rest from the recent range), so checking
 *   a checkpoint costs a few milliseconds at any size;
 * - full build: every incident created by `{t}` with its first response by `{t}`, kept when open or
 *   when created or answered since `{keep_from}`;
 * - advance: the same state at a later `{now}` read from the previous version (LIVE_INCIDENTS);
 * - meta: written last, it makes a version usable; the latest one is read at start-up.
 */
import { z } from 'zod';
import type { Store } from '../../store/client.ts';
import { chTime } from '../time.ts';
import { LIVE_INCIDENTS } from './fragments.ts';
import { runQuery } from '../../store/query.ts';

export const GUARD = 'analytics.checkpoint_guard';
export const BUILD = 'analytics.checkpoint_build';
export const ADVANCE = 'analytics.checkpoint_advance';
export const META = 'analytics.checkpoint_meta';
export const LATEST = 'analytics.checkpoint_latest';

/** The guard counts at `{ckpt_at}`, as scalar subqueries other queries can carry too (live.ts). */
export const GUARD_COLUMNS = `
	toFloat64((SELECT count() FROM incidents) - (SELECT count() FROM incidents WHERE created_at > {ckpt_at:DateTime64(3)})) AS guard_incidents,
	toFloat64((SELECT count() FROM incident_events WHERE type = 'responded')
		- (SELECT count() FROM incident_events WHERE type = 'responded' AND at > {ckpt_at:DateTime64(3)})) AS guard_responses`;

const GUARD_SQL = `SELECT ${GUARD_COLUMNS}`;

const BUILD_SQL = `
INSERT INTO analytics_ckpt_incidents (version, id, district, created_at, deadline_at, first_at)
SELECT {new_version:UInt64}, i.id, i.district, i.created_at, i.deadline_at, if(r.responded = 1, r.first_at, NULL)
FROM incidents AS i
LEFT JOIN (
	SELECT incident_id, min(at) AS first_at, toUInt8(1) AS responded
	FROM incident_events
	WHERE type = 'responded' AND at <= {t:DateTime64(3)}
	GROUP BY incident_id
) AS r ON r.incident_id = i.id
WHERE i.created_at <= {t:DateTime64(3)}
	AND (r.responded = 0 OR r.first_at >= {keep_from:DateTime64(3)} OR i.created_at >= {keep_from:DateTime64(3)})`;

const ADVANCE_SQL = `
INSERT INTO analytics_ckpt_incidents (version, id, district, created_at, deadline_at, first_at)
SELECT {new_version:UInt64}, id, district, created_at, deadline_at, first_at
FROM ${LIVE_INCIDENTS}
WHERE first_at IS NULL OR first_at >= {keep_from:DateTime64(3)} OR created_at >= {keep_from:DateTime64(3)}`;

const LATEST_SQL = `
SELECT toFloat64(version) AS version, t, toFloat64(incidents) AS incidents, toFloat64(responses) AS responses,
	toFloat64(toUnixTimestamp(built_at)) * 1000 AS built_ms
FROM analytics_ckpt_meta
WHERE built_at > now() - INTERVAL 1 DAY
ORDER BY version DESC
LIMIT 1`;

export interface GuardCounts {
	incidents: number;
	responses: number;
}
const Guard = z.object({ guard_incidents: z.number(), guard_responses: z.number() });

export interface CheckpointRow extends GuardCounts {
	version: number;
	t: Date;
	builtMs: number;
}

/** On a cluster the inserts go through Distributed tables: wait until every shard has its rows. */
const INSERT_SETTINGS = { distributed_foreground_insert: 1 } as const;

export async function queryGuard(store: Store, t: Date): Promise<GuardCounts> {
	const r = (await runQuery(store, GUARD, GUARD_SQL, { ckpt_at: chTime(t) }, Guard))[0]!;
	return { incidents: r.guard_incidents, responses: r.guard_responses };
}

export async function buildFull(store: Store, version: number, t: Date, keepFrom: Date): Promise<void> {
	await store.command({
		query: BUILD_SQL,
		query_params: { new_version: version, t: chTime(t), keep_from: chTime(keepFrom) },
		clickhouse_settings: { log_comment: BUILD, ...INSERT_SETTINGS }
	});
}

export async function buildAdvance(store: Store, version: number, from: { version: number; t: Date }, t: Date, keepFrom: Date): Promise<void> {
	await store.command({
		query: ADVANCE_SQL,
		query_params: {
			new_version: version,
			version: from.version,
			ckpt_at: chTime(from.t),
			now: chTime(t),
			keep_from: chTime(keepFrom),
			district: null
		},
		clickhouse_settings: { log_comment: ADVANCE, ...INSERT_SETTINGS }
	});
}

export async function insertMeta(store: Store, row: { version: number; t: Date } & GuardCounts): Promise<void> {
	await store.insert({
		table: 'analytics_ckpt_meta',
		format: 'JSONEachRow',
		values: [{ version: row.version, t: chTime(row.t), incidents: row.incidents, responses: row.responses }],
		clickhouse_settings: { log_comment: META, ...INSERT_SETTINGS }
	});
}

const Latest = z.object({ version: z.number(), t: z.string(), incidents: z.number(), responses: z.number(), built_ms: z.number() });

export async function queryLatest(store: Store): Promise<CheckpointRow | null> {
	const rows = await runQuery(store, LATEST, LATEST_SQL, {}, Latest);
	const r = rows[0];
	return r ? { version: r.version, t: new Date(r.t), incidents: r.incidents, responses: r.responses, builtMs: r.built_ms } : null;
}
