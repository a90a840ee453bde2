/**
 * The alert log as `GET /api/v1/alerts` and /admin show it: each alert, where it went, attempts and
 * outcome, who accepted it and when; the contact points; the file's state; and the time from alert to
 * acceptance per district (median and count over the alerts kept in the journal; the Snapshot's and the
 * report's figures come from ClickHouse, over a period, with the same start of the clock).
 */
import type { AlertsFileWatcher } from './config.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Outbox } from './outbox.ts';
import type { AlertState } from './model.ts';
import type { AlertLogEntry, AlertsView } from '../../src/lib/contract/alerts.ts';

export type { AlertLogEntry, AlertsView };

const LIST = 200;

function median(xs: number[]): number | null {
	if (xs.length === 0) return null;
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * When the clock of an acceptance starts: the first Telegram delivery (the button lives there), as in the
 * ClickHouse figures (acceptance-log.ts); the alert's creation when none is known (a contact since removed).
 */
function clockStart(st: AlertState, watcher: AlertsFileWatcher): number {
	const sent = st.deliveries.filter((d) => d.sent_at !== null && watcher.config.contacts[d.contact]?.type === 'telegram').map((d) => Date.parse(d.sent_at!));
	return sent.length > 0 ? Math.min(...sent) : Date.parse(st.alert.created_at);
}

export function alertsView(outbox: Outbox, watcher: AlertsFileWatcher, dispatcher: Dispatcher): AlertsView {
	const all = outbox.all();
	const perDistrict = new Map<string, number[]>();
	let pending = 0;
	for (const st of all) {
		pending += st.deliveries.filter((d) => d.state === 'pending').length;
		// A reminder's acceptance is its original's: counted once.
		if (!st.ack || st.alert.kind === 'reminder') continue;
		const min = Math.max(0, Date.parse(st.ack.at) - clockStart(st, watcher)) / 60_000;
		for (const d of st.alert.city_wide ? ['city'] : st.alert.districts) {
			let list = perDistrict.get(d);
			if (!list) perDistrict.set(d, (list = []));
			list.push(min);
		}
	}
	const alerts = all
		.slice(-LIST)
		.reverse()
		.map((st): AlertLogEntry => {
			const a = st.alert;
			return {
				id: a.id,
				created_at: a.created_at,
				event: a.event,
				kind: a.kind,
				districts: a.districts,
				city_wide: a.city_wide,
				category: a.category,
				severity: a.severity,
				incidents: a.incident_ids.length,
				summary: a.hotspot ? `${a.hotspot.kind} ${a.hotspot.category}: ${a.hotspot.count} / ${a.hotspot.expected}` : (a.detail ?? a.incidents?.[0]?.address ?? ''),
				deliveries: st.deliveries.map(({ contact, due_at, digest, state, attempts, last_error, sent_at }) => ({ contact, due_at, digest, state, attempts, last_error, sent_at })),
				accepted: st.ack ? { ...st.ack, after_min: Math.round((Math.max(0, Date.parse(st.ack.at) - clockStart(st, watcher)) / 60_000) * 10) / 10 } : null
			};
		});
	const contacts = Object.entries(watcher.config.contacts).map(([name, c]) => ({
		name,
		type: c.type,
		// Never the bot token, the webhook secret or SMTP credentials.
		target: c.type === 'telegram' ? `чат ${c.chat_id}` : c.type === 'webhook' ? new URL(c.url).origin + new URL(c.url).pathname : c.to.join(', '),
		...dispatcher.contactState(name)
	}));
	const acceptance = [...perDistrict]
		.map(([district, mins]) => ({ district, accepted: mins.length, median_min: median(mins) === null ? null : Math.round(median(mins)! * 10) / 10 }))
		.sort((a, b) => a.district.localeCompare(b.district));
	return { file: { path: watcher.status.file, loaded_at: watcher.status.loaded_at, error: watcher.status.error }, contacts, alerts, acceptance, pending };
}
