/** From what the product saw (a hotspot alert, a new incident, newly overdue incidents) to an Alert. */
import type { IncidentView } from '../../src/lib/contract/incident.ts';
import type { HotspotAlert } from '../../src/lib/contract/snapshot.ts';
import type { AlertOptions } from './config.ts';
import { newAlertId, type Alert, type AlertIncident, type AlertKind } from './model.ts';
import type { OverdueRow } from './queries/newly-overdue.ts';

/** At most this many incidents are carried in one alert's text (all of them are accepted by the button). */
const MAX_LISTED = 10;
const MAX_IDS = 500;

export function hotspotAlert(h: HotspotAlert, districts: string[], at: Date): Alert {
	const surge = h.hotspot.kind === 'surge';
	const cityWide = surge && h.hotspot.district === null;
	return {
		id: newAlertId(),
		created_at: at.toISOString(),
		event: 'hotspot',
		kind: `hotspot_${h.kind}` as AlertKind,
		districts: cityWide ? [] : districts.length > 0 ? districts : h.hotspot.district ? [h.hotspot.district] : [],
		city_wide: cityWide,
		category: h.hotspot.category,
		severity: surge ? 4 : 3,
		// A surge is urgent (it goes out at night); a closed hotspot never is.
		urgent: surge && h.kind !== 'closed',
		incident_ids: [],
		hotspot: h.hotspot
	};
}

function incidentOf(v: Omit<AlertIncident, 'text'> & { text: string }): AlertIncident {
	return { id: v.id, district: v.district, category: v.category, severity: v.severity, address: v.address, text: v.text.slice(0, 280), created_at: v.created_at, deadline_at: v.deadline_at };
}

export function incidentAlert(v: Pick<IncidentView, 'id' | 'district' | 'category' | 'severity' | 'address' | 'text' | 'created_at' | 'deadline_at'> & Partial<IncidentView>, opts: AlertOptions, at: Date): Alert {
	return {
		id: newAlertId(),
		created_at: at.toISOString(),
		event: 'incident',
		kind: 'incident',
		districts: [v.district],
		city_wide: false,
		category: v.category,
		severity: v.severity,
		urgent: v.severity >= opts.urgent_severity,
		incident_ids: [v.id],
		incidents: [incidentOf(v)]
	};
}

/** One alert per district for the incidents that went overdue in one grouping window. */
export function overdueAlerts(rows: OverdueRow[], opts: AlertOptions, at: Date): Alert[] {
	const byDistrict = new Map<string, OverdueRow[]>();
	for (const r of rows) {
		let list = byDistrict.get(r.district);
		if (!list) byDistrict.set(r.district, (list = []));
		list.push(r);
	}
	return [...byDistrict].map(([district, list]) => {
		const severity = Math.max(...list.map((r) => r.severity));
		const cats = new Set(list.map((r) => r.category));
		return {
			id: newAlertId(),
			created_at: at.toISOString(),
			event: 'overdue' as const,
			kind: 'overdue' as const,
			districts: [district],
			city_wide: false,
			category: cats.size === 1 ? list[0]!.category : null,
			severity,
			urgent: severity >= opts.urgent_severity,
			incident_ids: list.slice(0, MAX_IDS).map((r) => r.id),
			incidents: list.slice(0, MAX_LISTED).map(incidentOf)
		};
	});
}

export function reminderAlert(of: Alert, at: Date): Alert {
	return { ...of, id: newAlertId(), created_at: at.toISOString(), kind: 'reminder', reminder_of: of.id };
}

export function systemAlert(kind: 'store_down' | 'store_up' | 'spool_filling' | 'test', detail: string, at: Date): Alert {
	return {
		id: newAlertId(),
		created_at: at.toISOString(),
		event: kind === 'test' ? 'test' : 'system',
		kind,
		districts: [],
		city_wide: false,
		category: null,
		severity: 5,
		urgent: true,
		incident_ids: [],
		detail
	};
}
