/**
 * The time from an outbound alert to «Принято в работу» for one district, from the alert log (server/alerts),
 * for the district's tablet. Null without alerts configured or before any alert of the district was accepted.
 */
import type { AdminAlerts } from '../contract/alerts';
import type { ServerContext } from './context';

export function districtAcceptance(ctx: ServerContext, district: string): { accepted: number; median_min: number | null } | null {
	const alerts = ctx.extras.alerts as AdminAlerts | null | undefined;
	const row = alerts?.view().acceptance.find((a) => a.district === district);
	return row && row.accepted > 0 ? { accepted: row.accepted, median_min: row.median_min } : null;
}
