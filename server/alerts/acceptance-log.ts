/**
 * Copies the alert journal's deliveries and acceptances into ClickHouse (`alert_acceptance`, migration
 * 050), where the time from alert to «Принято в работу» is computed per district for the Snapshot, the
 * tablet and the weekly report. The journal stays the source of truth; this is a projection of it:
 * - written in the background, batched at most once per `flushMs`: nothing on the delivery or ingest
 *   path awaits it, and a store outage only delays it (retried with backoff, bounded in memory);
 * - at start every kept alert is written again (`resync`), so a write a crash lost is made then; the
 *   rows are identical and collapse (ReplacingMergeTree, and the queries group by alert anyway).
 * Only alerts that carry the button count (a hotspot still open, an overdue group, an urgent incident;
 * not a reminder, whose acceptance is its original's), and only once a Telegram chat got them: the
 * button lives there, so an alert that went only to a webhook or a mailbox could never be accepted.
 */
import type { Store } from '../store/client.ts';
import { chTime } from '../store/time.ts';
import { isAckable, type AlertState } from './model.ts';

export interface AcceptanceRow {
	alert_id: string;
	/** '' = the whole city (each alert once). */
	district: string;
	rec: 'sent' | 'accepted';
	event: string;
	kind: string;
	ref: string;
	incidents: number;
	sent_at: string;
	at: string;
	executor: string;
}

/** The rows an alert's state stands for now: none before its first Telegram delivery. */
export function acceptanceRows(st: AlertState, isTelegram: (contact: string) => boolean): AcceptanceRow[] {
	const a = st.alert;
	if (!isAckable(a) || a.kind === 'reminder') return [];
	const sent = st.deliveries
		.filter((d) => d.state === 'sent' && d.sent_at !== null && isTelegram(d.contact))
		.map((d) => Date.parse(d.sent_at!))
		.sort((x, y) => x - y)[0];
	if (sent === undefined) return [];
	const sentAt = chTime(new Date(sent));
	const districts = a.city_wide ? [''] : [...new Set(a.districts), ''];
	const base = { alert_id: a.id, event: a.event, kind: a.kind, ref: a.hotspot?.id ?? a.incident_ids[0] ?? '', incidents: a.incident_ids.length, sent_at: sentAt };
	const rows: AcceptanceRow[] = [];
	for (const district of districts) {
		rows.push({ ...base, district, rec: 'sent', at: sentAt, executor: '' });
		if (st.ack) rows.push({ ...base, district, rec: 'accepted', at: chTime(new Date(st.ack.at)), executor: st.ack.by });
	}
	return rows;
}

export interface AcceptanceLogOptions {
	flushMs?: number;
	/** Rows held while the store is down; beyond it the oldest wait for the next start's resync. */
	maxQueued?: number;
}

const MAX_BACKOFF_MS = 60_000;
const MAX_REMEMBERED = 50_000;

export class AcceptanceLog {
	private queue: AcceptanceRow[] = [];
	/** Rows already written (alert|district|rec): a second contact's delivery adds nothing. */
	private readonly written = new Set<string>();
	private timer: NodeJS.Timeout | null = null;
	private flushing: Promise<void> | null = null;
	private failures = 0;
	private stopped = false;
	private readonly flushMs: number;
	private readonly maxQueued: number;

	constructor(
		private readonly store: Store,
		private readonly isTelegram: (contact: string) => boolean,
		private readonly log: (msg: string) => void,
		opts: AcceptanceLogOptions = {}
	) {
		this.flushMs = opts.flushMs ?? 1000;
		this.maxQueued = opts.maxQueued ?? 20_000;
	}

	/** An alert's state changed (a delivery went out, somebody accepted): queue what is new. */
	note(st: AlertState): void {
		for (const r of acceptanceRows(st, this.isTelegram)) {
			const key = `${r.alert_id}|${r.district}|${r.rec}`;
			if (this.written.has(key)) continue;
			this.written.add(key);
			if (this.written.size > MAX_REMEMBERED) this.written.delete(this.written.values().next().value!);
			this.queue.push(r);
		}
		if (this.queue.length > this.maxQueued) {
			const dropped = this.queue.splice(0, this.queue.length - this.maxQueued);
			for (const r of dropped) this.written.delete(`${r.alert_id}|${r.district}|${r.rec}`);
			this.log(`alerts: acceptance log holds too much while the store is down; ${dropped.length} row(s) wait for the next start`);
		}
		this.schedule(this.flushMs);
	}

	/** Every kept alert again (at start): what a crash kept from the store is written now. */
	resync(all: readonly AlertState[]): void {
		for (const st of all) this.note(st);
	}

	private schedule(ms: number): void {
		if (this.timer || this.stopped || this.queue.length === 0) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.flushing = this.flush().finally(() => (this.flushing = null));
		}, ms);
		this.timer.unref();
	}

	private async flush(): Promise<void> {
		const batch = this.queue;
		this.queue = [];
		if (batch.length === 0) return;
		try {
			await this.store.insert({ table: 'alert_acceptance', format: 'JSONEachRow', values: batch, clickhouse_settings: { log_comment: 'alerts.acceptance_log' } });
			this.failures = 0;
			this.schedule(this.flushMs);
		} catch (e) {
			this.failures++;
			this.queue = batch.concat(this.queue);
			if (this.failures === 1 || this.failures % 10 === 0) this.log(`alerts: acceptance log write failed (${this.failures} in a row): ${(e as Error).message}`);
			this.schedule(Math.min(MAX_BACKOFF_MS, this.flushMs * 2 ** this.failures));
		}
	}

	/** Writes what is queued (one try) and stops. */
	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		await this.flushing;
		await this.flush().catch(() => undefined);
	}
}
