/**
 * SQL fragments for an incident's state from its status events. Used by the list, detail and feed queries.
 * `responded_ids`: incidents with at least one `responded` event (so not "open").
 */
export const RESPONDED_IDS = `SELECT incident_id FROM incident_events WHERE type = 'responded'`;

/** Per incident: status code and first response, for a set of ids bound as {ids:Array(String)}. */
export const STATUS_BY_ID = `
	SELECT
		incident_id,
		if(argMaxIf(type, at, type IN ('resolved', 'reopened')) = 'resolved', 'resolved',
		   if(countIf(type = 'responded') > 0, 'responded', 'open')) AS status,
		if(countIf(type = 'responded') > 0, minIf(at, type = 'responded'), NULL) AS first_response_at
	FROM incident_events
	WHERE incident_id IN {ids:Array(String)}
	GROUP BY incident_id`;
