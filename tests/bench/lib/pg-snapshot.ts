/**
 * The main parts of a Snapshot written for PostgreSQL 15, answering exactly what the ClickHouse queries
 * of `server/analytics/queries/` answer (same boundaries, same first-response rule, percentile_cont for
 * quantileExactInclusive), plus the schema, indexes and loading from the CSV that the engine wrote.
 */
import type pg from 'pg';
import type { Boundaries } from '../../../server/analytics/time.ts';
import { BASELINE_WEEKS } from '../../../server/analytics/queries/districts.ts';

export const SCHEMA = `
CREATE TABLE incidents (
	id text NOT NULL, source text NOT NULL, created_at timestamptz NOT NULL, received_at timestamptz NOT NULL,
	category text NOT NULL, district text NOT NULL, lat double precision, lon double precision, h3 bigint NOT NULL,
	address text NOT NULL, text text NOT NULL, url text NOT NULL, severity smallint NOT NULL, deadline_at timestamptz NOT NULL
);
CREATE TABLE incident_events (
	incident_id text NOT NULL, type text NOT NULL, at timestamptz NOT NULL, received_at timestamptz NOT NULL,
	executor text NOT NULL, comment text NOT NULL
);`;

/** What a careful PostgreSQL user would add for these queries: the key, time ranges, scope + time, first responses. */
export const INDEXES = [
	'ALTER TABLE incidents ADD PRIMARY KEY (id)',
	'CREATE INDEX incidents_created ON incidents (created_at)',
	'CREATE INDEX incidents_district_created ON incidents (district, created_at)',
	"CREATE INDEX events_responded ON incident_events (incident_id, at) WHERE type = 'responded'",
	'CREATE INDEX events_incident ON incident_events (incident_id, type, at)'
];

const DROP_INDEXES = [
	'ALTER TABLE incidents DROP CONSTRAINT IF EXISTS incidents_pkey',
	'DROP INDEX IF EXISTS incidents_created',
	'DROP INDEX IF EXISTS incidents_district_created',
	'DROP INDEX IF EXISTS events_responded',
	'DROP INDEX IF EXISTS events_incident'
];

/** Replaces both tables' rows with the CSV files, then indexes and analyzes. Returns the phases' ms. */
export async function loadCsv(client: pg.Client, files: { incidents: string; events: string }): Promise<{ copyMs: number; indexMs: number }> {
	const t0 = performance.now();
	await client.query('BEGIN');
	// TRUNCATE in the same transaction as COPY lets wal_level=minimal skip the WAL.
	await client.query('TRUNCATE incidents, incident_events');
	for (const q of DROP_INDEXES) await client.query(q);
	// COPY takes no bound parameters: the (temporary, our own) path is quoted as a literal.
	await client.query(`COPY incidents FROM ${client.escapeLiteral(files.incidents)} WITH (FORMAT csv, NULL '\\N')`);
	await client.query(`COPY incident_events FROM ${client.escapeLiteral(files.events)} WITH (FORMAT csv, NULL '\\N')`);
	await client.query('COMMIT');
	const t1 = performance.now();
	for (const q of INDEXES) await client.query(q);
	await client.query('VACUUM ANALYZE incidents');
	await client.query('VACUUM ANALYZE incident_events');
	return { copyMs: t1 - t0, indexMs: performance.now() - t1 };
}

/** `:name` placeholders → `$n` with values (a `::` cast is left alone). */
function bind(sql: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
	const order: string[] = [];
	const text = sql.replace(/(?<!:):([a-z_]+)/g, (_, name: string) => {
		if (!(name in params)) throw new Error(`no value for :${name}`);
		let i = order.indexOf(name);
		if (i < 0) i = order.push(name) - 1;
		return `$${i + 1}`;
	});
	return { text, values: order.map((n) => params[n]) };
}

const SCOPE = `(:district::text IS NULL OR i.district = :district::text)`;
const FIRST_RESPONSE = `(
	SELECT incident_id, min(at) AS first_at
	FROM incident_events
	WHERE type = 'responded' AND at <= :now::timestamptz
	GROUP BY incident_id
)`;

const KPIS = `
SELECT
	count(*) FILTER (WHERE created_at >= :today_start::timestamptz) AS today,
	count(*) FILTER (WHERE created_at >= :usual_from::timestamptz AND created_at < :today_start::timestamptz
		AND extract(isodow FROM created_at AT TIME ZONE :tz::text) = :weekday::int
		AND created_at - (date_trunc('day', created_at AT TIME ZONE :tz::text) AT TIME ZONE :tz::text) < :time_of_day_ms::bigint * interval '1 millisecond') AS usual_total,
	count(*) FILTER (WHERE NOT responded) AS open,
	count(*) FILTER (WHERE NOT responded AND deadline_at < :now::timestamptz) AS overdue,
	count(*) FILTER (WHERE responded AND first_at >= :today_start::timestamptz) AS answered_today,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY response_min) FILTER (WHERE responded AND first_at >= :today_start::timestamptz) AS median_today,
	count(*) FILTER (WHERE responded AND first_at >= :week_ago::timestamptz) AS answered_7d,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY response_min) FILTER (WHERE responded AND first_at >= :week_ago::timestamptz) AS median_7d,
	count(*) FILTER (WHERE created_at >= :week_ago::timestamptz AND (deadline_at <= :now::timestamptz OR responded)) AS sla_due,
	count(*) FILTER (WHERE created_at >= :week_ago::timestamptz AND responded AND first_at <= deadline_at) AS sla_met
FROM (
	SELECT i.created_at, i.deadline_at, r.first_at, r.incident_id IS NOT NULL AS responded,
		greatest(0, extract(epoch FROM r.first_at - i.created_at) * 1000) / 60000 AS response_min
	FROM incidents AS i
	LEFT JOIN ${FIRST_RESPONSE} AS r ON r.incident_id = i.id
	WHERE i.created_at <= :now::timestamptz AND ${SCOPE}
) AS x`;

const DISTRICTS = `
SELECT district,
	count(*) FILTER (WHERE created_at >= :today_start::timestamptz) AS today,
	count(*) FILTER (WHERE age_ms < 86400000) AS last_24h,
	count(*) FILTER (WHERE age_ms / 604800000 BETWEEN 1 AND :weeks::int AND age_ms % 604800000 < 86400000) AS baseline_total,
	count(*) FILTER (WHERE NOT responded) AS open,
	count(*) FILTER (WHERE NOT responded AND deadline_at < :now::timestamptz) AS overdue
FROM (
	SELECT i.district, i.created_at, i.deadline_at, r.incident_id IS NOT NULL AS responded,
		round(extract(epoch FROM :now::timestamptz - i.created_at) * 1000)::bigint AS age_ms
	FROM incidents AS i
	LEFT JOIN ${FIRST_RESPONSE} AS r ON r.incident_id = i.id
	WHERE i.created_at <= :now::timestamptz AND ${SCOPE}
) AS x
GROUP BY district`;

const RESPONSE_DAILY = `
SELECT to_char((first_at AT TIME ZONE :tz::text)::date, 'YYYY-MM-DD') AS day,
	percentile_cont(0.5) WITHIN GROUP (ORDER BY response_min) AS p50_min,
	percentile_cont(0.9) WITHIN GROUP (ORDER BY response_min) AS p90_min,
	count(*) AS n
FROM (
	SELECT r.first_at, greatest(0, extract(epoch FROM r.first_at - i.created_at) * 1000) / 60000 AS response_min
	FROM incidents AS i
	JOIN ${FIRST_RESPONSE} AS r ON r.incident_id = i.id
	WHERE i.created_at <= :now::timestamptz AND ${SCOPE} AND r.first_at >= :from::timestamptz
) AS x
GROUP BY day`;

const HOURLY = `
SELECT date_trunc('hour', i.created_at) AS hour, i.category, count(*) AS n
FROM incidents AS i
WHERE i.created_at >= date_trunc('hour', :now::timestamptz) - interval '47 hours'
	AND i.created_at <= :now::timestamptz AND ${SCOPE}
GROUP BY 1, 2
ORDER BY 1, 2`;

const WEEK_CATEGORIES = `
SELECT category,
	count(*) FILTER (WHERE created_at >= :week_start::timestamptz) AS this_week,
	count(*) FILTER (WHERE created_at < :week_start::timestamptz AND created_at <= :last_week_now::timestamptz) AS last_week
FROM incidents AS i
WHERE i.created_at >= :last_week_start::timestamptz AND i.created_at <= :now::timestamptz AND ${SCOPE}
GROUP BY category
HAVING count(*) FILTER (WHERE created_at >= :week_start::timestamptz) > 0
	OR count(*) FILTER (WHERE created_at < :week_start::timestamptz AND created_at <= :last_week_now::timestamptz) > 0
ORDER BY this_week DESC, last_week DESC, category`;

export const PG_PARTS = { kpis: KPIS, districts: DISTRICTS, response_daily: RESPONSE_DAILY, hourly: HOURLY, week_categories: WEEK_CATEGORIES } as const;
export type Part = keyof typeof PG_PARTS;

export function pgParams(b: Boundaries, tz: string, district: string | null): Record<string, unknown> {
	return {
		now: b.now.toISOString(),
		today_start: b.todayStart.toISOString(),
		usual_from: b.usualFrom.toISOString(),
		week_ago: new Date(b.now.getTime() - 7 * 86_400_000).toISOString(),
		weekday: b.isoWeekday,
		time_of_day_ms: b.now.getTime() - b.todayStart.getTime(),
		from: b.responseFrom.toISOString(),
		week_start: b.weekStart.toISOString(),
		last_week_start: b.lastWeekStart.toISOString(),
		last_week_now: b.lastWeekNow.toISOString(),
		weeks: BASELINE_WEEKS,
		tz,
		district
	};
}

/** Runs one part; only the parameters its text names are sent. */
export async function runPgPart(client: pg.Client, part: Part, params: Record<string, unknown>): Promise<Record<string, unknown>[]> {
	const { text, values } = bind(PG_PARTS[part], params);
	return (await client.query(text, values)).rows as Record<string, unknown>[];
}
