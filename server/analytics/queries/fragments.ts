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
