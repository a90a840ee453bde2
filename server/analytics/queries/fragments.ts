/**
 * Named SQL fragments shared by several queries (static text, no values: every value is a bound
 * `{name:Type}` parameter). Each one is documented here once.
 */

/**
 * The first `responded` event of each incident known at `{now}`: `first_at` and `responded = 1`.
 * Joined with LEFT JOIN, an incident without a response gets `responded = 0`. Events later than
 * `{now}` are ignored so a snapshot "as of" a past instant is reproducible (reports, tests).
 */
export const FIRST_RESPONSE = `(
	SELECT incident_id, min(at) AS first_at, toUInt8(1) AS responded
	FROM incident_events
	WHERE type = 'responded' AND at <= {now:DateTime64(3)}
	GROUP BY incident_id
)`;

/** Rows of the reader's scope: the whole city when `{district}` is NULL. */
export const IN_SCOPE = `({district:Nullable(String)} IS NULL OR district = {district:Nullable(String)})`;

/**
 * Every incident of the reader's scope that a Snapshot's response figures can involve, as of `{now}`:
 * `id, district, created_at, deadline_at, first_at` (first `responded` event at or before `{now}`, NULL if
 * none). Read from checkpoint `{version:UInt64}` taken at `{ckpt_at}` (open then, or answered recently
 * enough, see checkpoint.ts) plus the incidents created since, instead of joining every stored incident
 * to its first response:
 * - a checkpointed incident still open at `{ckpt_at}` gets its first response from those given in
 *   (`{ckpt_at}`, `{now}`] (none came earlier, or the checkpoint would not be valid);
 * - an incident created after `{ckpt_at}` gets it from all its events up to `{now}`.
 * Incidents answered long ago are left out: they are neither open nor in any response window.
 */
export const LIVE_INCIDENTS = `(
	SELECT c.id AS id, c.district AS district, c.created_at AS created_at, c.deadline_at AS deadline_at,
		if(c.first_at IS NULL AND r.responded = 1, r.first_at, c.first_at) AS first_at
	FROM analytics_ckpt_incidents AS c
	LEFT JOIN (
		SELECT incident_id, min(at) AS first_at, toUInt8(1) AS responded
		FROM incident_events
		WHERE type = 'responded' AND at > {ckpt_at:DateTime64(3)} AND at <= {now:DateTime64(3)}
		GROUP BY incident_id
	) AS r ON r.incident_id = c.id
	WHERE c.version = {version:UInt64} AND ${IN_SCOPE}
	UNION ALL
	SELECT i.id AS id, i.district AS district, i.created_at AS created_at, i.deadline_at AS deadline_at,
		if(r.responded = 1, r.first_at, NULL) AS first_at
	FROM incidents AS i
	LEFT JOIN (
		SELECT incident_id, min(at) AS first_at, toUInt8(1) AS responded
		FROM incident_events
		WHERE type = 'responded' AND at <= {now:DateTime64(3)} AND incident_id IN (
			SELECT id FROM incidents
			WHERE created_at > {ckpt_at:DateTime64(3)} AND created_at <= {now:DateTime64(3)} AND ${IN_SCOPE})
		GROUP BY incident_id
	) AS r ON r.incident_id = i.id
	WHERE i.created_at > {ckpt_at:DateTime64(3)} AND i.created_at <= {now:DateTime64(3)} AND ${IN_SCOPE}
)`;
