/**
 * Outbound alerts (MCU_ALERTS_FILE): the composition of the alerts file, the durable outbox, the
 * delivery loop, the watchers (overdue incidents, store and spool health, reminders) and the Telegram
 * answer back. The domain reaches it only through `tee(publisher)`: the same publish calls that tell
 * live clients about hotspot alerts, new incidents and status events (after their durable write).
 */
import path from 'node:path';
import type { IncidentStatusMessage } from '../../src/lib/contract/events.ts';
import type { IncidentView, StatusEventInput } from '../../src/lib/contract/incident.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { HotspotAlert } from '../../src/lib/contract/snapshot.ts';
import type { CityPack } from '../city/pack.ts';
import type { LivePublisher } from '../realtime/publisher.ts';
import type { Store } from '../store/client.ts';
import { AlertsFileWatcher, knownOf, type TelegramContactPoint } from './config.ts';
import { Outbox } from './outbox.ts';
import { Dispatcher } from './dispatcher.ts';
import { createSenders } from './senders/index.ts';
import { AcceptancePoller } from './accept.ts';
import { hotspotAlert, incidentAlert, overdueAlerts, reminderAlert, systemAlert } from './build.ts';
import { plan } from './route.ts';
import { newlyOverdue } from './queries/newly-overdue.ts';
import { hotspotIncidentIds } from './queries/hotspot-incidents.ts';
import { recentUrgent } from './queries/recent-urgent.ts';
import type { Alert, AlertState } from './model.ts';
import type { MessageContext } from './messages.ts';
import { alertsView, type AlertsView } from './view.ts';
import { AcceptanceLog } from './acceptance-log.ts';

/** How long the start-up recovery waits for the ingest log to reach the store. */
const RECOVERY_SETTLE_MS = 30_000;

export interface AlertsDeps {
	file: string;
	dataDir: string;
	city: CityPack;
	store: Store;
	telegramApiRoot: string;
	publicUrl: string | null;
	submitEvents(events: StatusEventInput[]): Promise<unknown>;
	/** Resolves once what ingest acknowledged has reached the store (at most `ms`): the recovery reads it there. */
	settled?(ms: number): Promise<void>;
	health(): Promise<{ storeUp: boolean; spoolBytes: number; spoolMaxBytes: number }>;
	log: (msg: string) => void;
	now: () => Date;
	timing?: { healthEveryMs?: number; pollTimeoutS?: number; fileEveryMs?: number; acceptanceLog?: { flushMs?: number } };
	onSent?: (alert: Alert, contact: string) => void;
}

export interface Alerts {
	/** Wraps the live publisher: every call goes on to it, and the alerting ones are also alerted. */
	tee(inner: LivePublisher): LivePublisher;
	/** Records an alert (routed by the file) and wakes the delivery loop; resolves once it is durable. */
	emit(alert: Alert, only?: string[]): Promise<void>;
	/** `POST /api/v1/alerts/test`: a test message to one contact point, awaited up to `waitMs`. */
	test(contact: string, waitMs?: number): Promise<{ delivered: boolean; alert_id: string; error: string | null } | null>;
	view(): AlertsView;
	/** `POST /api/v1/alerts/telegram/:bot` (webhook mode): false when the bot or secret token is not ours. */
	telegramUpdate(botId: string, secret: string | undefined, update: unknown): Promise<boolean>;
	start(): void;
	stop(): Promise<void>;
}

/** Status events that mean somebody took the incident: no reminder for it then. */
const ANSWERS = new Set(['assigned', 'responded', 'resolved']);
/** At start, urgent incidents received this long before are checked for an alert a crash kept unrecorded. */
const RECOVER_MS = 10 * 60_000;
/** A hotspot re-detected after a restart (same id) within this long of its opening is not announced again. */
const REOPEN_QUIET_MS = 24 * 3_600_000;
/** A «new» incident older than this (a CSV import of history through the API) is not announced. */
const NEW_INCIDENT_MAX_AGE_MS = 24 * 3_600_000;
const MAX_ANSWERED = 20_000;

export async function createAlerts(deps: AlertsDeps): Promise<Alerts> {
	const { city, log, now } = deps;
	const known = knownOf(city);
	// Throws on an invalid file: the process must not start with one.
	const watcher = new AlertsFileWatcher(deps.file, known, log, now);
	const outbox = await Outbox.open(path.join(deps.dataDir, 'alerts'), log);
	// Deliveries and acceptances reach ClickHouse in the background, for the acceptance-time figures.
	const acceptanceLog = new AcceptanceLog(deps.store, (c) => watcher.config.contacts[c]?.type === 'telegram', log, deps.timing?.acceptanceLog);
	outbox.onRecorded((st) => acceptanceLog.note(st));
	const names = new Map(city.districts.map((d) => [d.code, d.name]));
	const labels = new Map(city.categories.map((c) => [c.code, c.label]));
	const ctx: MessageContext = {
		publicUrl: deps.publicUrl,
		tz: city.calendar.tz,
		districtName: (c) => names.get(c) ?? (c === 'unknown' ? 'район не определён' : c),
		categoryLabel: (c) => labels.get(c) ?? c
	};
	const senders = createSenders(ctx, deps.telegramApiRoot);
	const dispatcher = new Dispatcher({ outbox, senders, contacts: () => watcher.config.contacts, log, now, onSent: deps.onSent });
	const poller = new AcceptancePoller({
		outbox,
		apiRoot: deps.telegramApiRoot,
		ctx,
		submitEvents: deps.submitEvents,
		hotspotIncidents: (st: AlertState) => {
			const h = st.alert.hotspot!;
			const since = new Date(Math.min(Date.parse(h.started_at), now().getTime() - (h.window_h ?? 24) * 3_600_000));
			return hotspotIncidentIds(deps.store, { category: h.category, cells: h.cells, district: h.district, since });
		},
		log,
		now,
		pollTimeoutS: deps.timing?.pollTimeoutS ?? 25,
		webhookBase: () => (watcher.config.options.telegram_updates === 'webhook' ? deps.publicUrl : null)
	});
	if (watcher.config.options.telegram_updates === 'webhook' && !deps.publicUrl) log('alerts: telegram_updates "webhook" needs MCU_PUBLIC_URL; long polling is used');
	const answered = new Set<string>();
	/** Hotspot alerts of this turn, gathering the districts the engine names right after the city call. */
	const gathering = new Map<string, Set<string>>();
	const timers: NodeJS.Timeout[] = [];
	let overdueFrom = now();
	let storeWasUp = true;
	let spoolAlerted = false;
	let stopped = false;

	async function emit(alert: Alert, only?: string[]): Promise<void> {
		const deliveries = plan(watcher.config, alert, now(), city.calendar, only);
		if (deliveries.length === 0) return;
		await outbox.record(alert, deliveries);
		dispatcher.kick();
	}
	const fire = (alert: Alert) => void emit(alert).catch((e: unknown) => log(`alert ${alert.kind} could not be recorded: ${(e as Error).message}`));

	/** Urgent incidents stored just before a crash whose alert was not yet on disk: alert them now. */
	async function recoverUnrecorded(since: Date, to: Date): Promise<void> {
		const alerted = new Set(outbox.all().flatMap((st) => (st.alert.event === 'incident' ? st.alert.incident_ids : [])));
		// Acknowledged incidents a crash left in the ingest log reach the store only after the start.
		await deps.settled?.(RECOVERY_SETTLE_MS);
		const rows = await recentUrgent(deps.store, since, to, watcher.config.options.incident_min_severity);
		for (const r of rows) if (!alerted.has(r.id) && isFreshUrgent(r)) await emit(incidentAlert(r, watcher.config.options, now()));
	}

	function isFreshUrgent(v: { severity: number; created_at: string }): boolean {
		return v.severity >= watcher.config.options.incident_min_severity && now().getTime() - Date.parse(v.created_at) <= NEW_INCIDENT_MAX_AGE_MS;
	}

	/** The engine re-detects open hotspots after a restart under the same id: one «opened» per hotspot. */
	function alreadyOpened(id: string, at: Date): boolean {
		// The latest word on this hotspot: «opened» recently and not «closed» since.
		const last = outbox.all().findLast((st) => st.alert.hotspot?.id === id && (st.alert.kind === 'hotspot_opened' || st.alert.kind === 'hotspot_closed'));
		return last?.alert.kind === 'hotspot_opened' && at.getTime() - Date.parse(last.alert.created_at) < REOPEN_QUIET_MS;
	}

	async function checkOverdue(): Promise<void> {
		const to = now();
		const rows = await newlyOverdue(deps.store, overdueFrom, to);
		overdueFrom = to;
		for (const a of overdueAlerts(rows, watcher.config.options, to)) await emit(a);
	}

	async function checkReminders(): Promise<void> {
		const after = watcher.config.options.remind_after_min * 60_000;
		if (after === 0) return;
		const t = now();
		for (const st of outbox.all()) {
			if (st.alert.kind !== 'overdue' || st.ack || st.reminded || t.getTime() - Date.parse(st.alert.created_at) < after) continue;
			const got = st.deliveries.filter((d) => d.state === 'sent' && watcher.config.contacts[d.contact]?.type === 'telegram').map((d) => d.contact);
			if (got.length === 0 || st.alert.incident_ids.every((id) => answered.has(id))) continue;
			await emit(reminderAlert(st.alert, t), got);
			await outbox.reminded(st.alert.id, t);
		}
	}

	async function checkHealth(): Promise<void> {
		const h = await deps.health();
		const t = now();
		if (!h.storeUp && storeWasUp) fire(systemAlert('store_down', 'Запись в хранилище не проходит; обращения принимаются в буфер на диске.', t));
		if (h.storeUp && !storeWasUp) fire(systemAlert('store_up', 'Хранилище снова принимает запись; буфер переносится.', t));
		storeWasUp = h.storeUp;
		const share = h.spoolMaxBytes > 0 ? h.spoolBytes / h.spoolMaxBytes : 0;
		const limit = watcher.config.options.spool_alert_share;
		if (share >= limit && !spoolAlerted) {
			spoolAlerted = true;
			fire(systemAlert('spool_filling', `Буфер приёма заполнен на ${Math.round(share * 100)} % (${Math.round(h.spoolBytes / 1048576)} из ${Math.round(h.spoolMaxBytes / 1048576)} МБ).`, t));
		}
		if (share < limit / 2) spoolAlerted = false;
	}

	const every = (ms: number, job: () => Promise<void>, what: string) => {
		let running = false;
		const timer = setInterval(() => {
			if (running || stopped) return;
			running = true;
			job()
				.catch((e: unknown) => log(`alerts: ${what} failed: ${(e as Error).message}`))
				.finally(() => (running = false));
		}, ms);
		timer.unref();
		timers.push(timer);
	};
	const telegramContacts = () => Object.values(watcher.config.contacts).filter((c): c is TelegramContactPoint => c.type === 'telegram');

	return {
		tee(inner: LivePublisher): LivePublisher {
			return {
				incident(view: IncidentView) {
					inner.incident(view);
					if (isFreshUrgent(view)) fire(incidentAlert(view, watcher.config.options, now()));
				},
				status(msg: IncidentStatusMessage) {
					inner.status(msg);
					if (!ANSWERS.has(msg.type)) return;
					if (answered.size >= MAX_ANSWERED) answered.delete(answered.values().next().value!);
					answered.add(msg.incident_id);
				},
				aggregates: (delta) => inner.aggregates(delta),
				hotspots: (scope, list) => inner.hotspots(scope, list),
				hotspotAlert(scope: Scope, alert: HotspotAlert) {
					inner.hotspotAlert(scope, alert);
					// The engine tells the city scope first, then, in the same turn, each district the hotspot's
					// incidents fall in: gather those, then alert once (a hotspot on a border reaches both districts).
					const key = `${alert.kind}|${alert.hotspot.id}`;
					const open = gathering.get(key);
					if (scope.district !== null) return void open?.add(scope.district);
					if (open || (alert.kind === 'opened' && alreadyOpened(alert.hotspot.id, now()))) return;
					const districts = new Set<string>(alert.hotspot.district ? [alert.hotspot.district] : []);
					gathering.set(key, districts);
					queueMicrotask(() => {
						gathering.delete(key);
						fire(hotspotAlert(alert, [...districts], now()));
					});
				}
			};
		},
		emit,
		async test(contact, waitMs = 15_000) {
			if (!watcher.config.contacts[contact]) return null;
			const alert = systemAlert('test', `Тестовое сообщение: канал «${contact}» настроен верно.`, now());
			await emit(alert, [contact]);
			const until = Date.now() + waitMs;
			for (;;) {
				const d = outbox.get(alert.id)?.deliveries[0];
				if (d?.state === 'sent') return { delivered: true, alert_id: alert.id, error: null };
				if (Date.now() > until || stopped) return { delivered: false, alert_id: alert.id, error: d?.last_error ?? 'no answer yet' };
				await new Promise((r) => setTimeout(r, 100));
			}
		},
		view: () => alertsView(outbox, watcher, dispatcher),
		telegramUpdate: (botId, secret, update) => poller.webhookUpdate(botId, secret, update),
		start() {
			stopped = false;
			overdueFrom = now();
			void recoverUnrecorded(new Date(overdueFrom.getTime() - RECOVER_MS), overdueFrom).catch((e: unknown) => log(`alerts: recovery of unrecorded alerts failed: ${(e as Error).message}`));
			acceptanceLog.resync(outbox.all());
			dispatcher.start();
			poller.sync(telegramContacts());
			watcher.watch(deps.timing?.fileEveryMs ?? 1000, () => poller.sync(telegramContacts()));
			// Overdue incidents are gathered for one window into one message per district; reminders ride along.
			every(watcher.config.options.group_window_s * 1000, async () => (await checkOverdue(), await checkReminders()), 'overdue check');
			every(deps.timing?.healthEveryMs ?? 5000, checkHealth, 'health check');
		},
		async stop() {
			stopped = true;
			for (const t of timers) clearInterval(t);
			watcher.stop();
			await poller.stop();
			await dispatcher.stop();
			await acceptanceLog.stop();
			senders.close();
			await outbox.close();
		}
	};
}
