/**
 * The durable outbox: an append-only NDJSON journal under $MCU_DATA_DIR/alerts, fsynced on every record,
 * independent of ClickHouse (a "store down" alert must go out while the store is down).
 * - an alert and its planned deliveries are recorded before anything is sent;
 * - a delivery's outcome (sent, dropped), an acceptance and a reminder are recorded after;
 * - at start the journal is replayed: deliveries without an outcome are sent again. A crash between a
 *   send and its record costs at most that one duplicate.
 * Failed attempts are kept in memory only: a contact down for a day must not grow the journal.
 * Bounded: at most `maxAlerts` alerts are kept (oldest finished ones go first) and the file is rewritten
 * with only those when it outgrows `maxBytes`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Alert, AlertState, DeliveryState, PlannedDelivery } from './model.ts';

type JournalRecord =
	| { t: 'alert'; alert: Alert; deliveries: PlannedDelivery[] }
	| { t: 'sent'; id: string; contact: string; at: string; ref: DeliveryState['ref'] }
	| { t: 'dropped'; id: string; contact: string; at: string; reason: string }
	| { t: 'ack'; id: string; by: string; at: string }
	| { t: 'reminded'; id: string; at: string };

export interface OutboxLimits {
	maxAlerts: number;
	maxBytes: number;
}

const DEFAULT_LIMITS: OutboxLimits = { maxAlerts: 5000, maxBytes: 16 * 1024 * 1024 };

export class Outbox {
	private readonly alerts = new Map<string, AlertState>();
	private readonly file: string;
	private fd: fs.promises.FileHandle | null = null;
	private bytes = 0;
	private chain: Promise<void> = Promise.resolve();
	/** Torn lines found at the end of the journal when it was opened (a crash mid-write). */
	tornLines = 0;
	/** Told after a delivery outcome or an acceptance is on disk (not on replay): the acceptance log listens. */
	private readonly listeners: ((st: AlertState) => void)[] = [];

	private constructor(
		readonly dir: string,
		private readonly limits: OutboxLimits,
		private readonly log: (msg: string) => void
	) {
		this.file = path.join(dir, 'outbox.ndjson');
	}

	static async open(dir: string, log: (msg: string) => void, limits: Partial<OutboxLimits> = {}): Promise<Outbox> {
		fs.mkdirSync(dir, { recursive: true });
		const box = new Outbox(dir, { ...DEFAULT_LIMITS, ...limits }, log);
		box.replay();
		await box.compact();
		return box;
	}

	private replay(): void {
		if (!fs.existsSync(this.file)) return;
		const text = fs.readFileSync(this.file, 'utf8');
		for (const line of text.split('\n')) {
			if (!line) continue;
			let rec: JournalRecord;
			try {
				rec = JSON.parse(line) as JournalRecord;
			} catch {
				this.tornLines++;
				continue;
			}
			this.apply(rec);
		}
		if (this.tornLines > 0) this.log(`alerts outbox: ${this.tornLines} torn record(s) skipped (a crash mid-write)`);
	}

	private apply(rec: JournalRecord): void {
		if (rec.t === 'alert') {
			this.alerts.set(rec.alert.id, {
				alert: rec.alert,
				deliveries: rec.deliveries.map((d) => ({ ...d, state: 'pending', attempts: 0, last_error: null, sent_at: null, ref: null })),
				ack: null,
				reminded: false
			});
			return;
		}
		const st = this.alerts.get(rec.id);
		if (!st) return;
		if (rec.t === 'ack') st.ack = { by: rec.by, at: rec.at };
		else if (rec.t === 'reminded') st.reminded = true;
		else {
			const d = st.deliveries.find((x) => x.contact === rec.contact);
			if (!d) return;
			if (rec.t === 'sent') Object.assign(d, { state: 'sent', sent_at: rec.at, ref: rec.ref });
			else Object.assign(d, { state: 'dropped', last_error: rec.reason });
		}
	}

	private append(records: JournalRecord[]): Promise<void> {
		const run = this.chain.then(async () => {
			if (!this.fd) this.fd = await fs.promises.open(this.file, 'a');
			const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
			await this.fd.appendFile(text);
			await this.fd.datasync();
			this.bytes += Buffer.byteLength(text);
			for (const r of records) this.apply(r);
			for (const r of records) this.tell(r);
			this.trim();
			if (this.bytes > this.limits.maxBytes) await this.rewrite();
		});
		this.chain = run.catch(() => undefined);
		return run;
	}

	/** Calls `fn` with an alert's state after each of its outcomes or acceptances is recorded. */
	onRecorded(fn: (st: AlertState) => void): void {
		this.listeners.push(fn);
	}

	private tell(rec: JournalRecord): void {
		if (rec.t !== 'sent' && rec.t !== 'ack') return;
		const st = this.alerts.get(rec.id);
		if (!st) return;
		for (const fn of this.listeners) {
			try {
				fn(st);
			} catch (e) {
				// A listener's bug must never fail the record that is already on disk.
				this.log(`alerts outbox listener failed: ${(e as Error).message}`);
			}
		}
	}

	/** Records an alert with its deliveries; resolves once it is on disk. */
	record(alert: Alert, deliveries: PlannedDelivery[]): Promise<void> {
		return this.append([{ t: 'alert', alert, deliveries }]);
	}

	sent(id: string, contact: string, at: Date, ref: DeliveryState['ref'] = null): Promise<void> {
		return this.append([{ t: 'sent', id, contact, at: at.toISOString(), ref }]);
	}

	dropped(id: string, contact: string, at: Date, reason: string): Promise<void> {
		return this.append([{ t: 'dropped', id, contact, at: at.toISOString(), reason }]);
	}

	ack(id: string, by: string, at: Date): Promise<void> {
		return this.append([{ t: 'ack', id, by, at: at.toISOString() }]);
	}

	reminded(id: string, at: Date): Promise<void> {
		return this.append([{ t: 'reminded', id, at: at.toISOString() }]);
	}

	get(id: string): AlertState | undefined {
		return this.alerts.get(id);
	}

	/** Every kept alert, oldest first. */
	all(): AlertState[] {
		return [...this.alerts.values()];
	}

	get size(): number {
		return this.alerts.size;
	}

	/** Keeps the map bounded: the oldest alerts with nothing left to send go first. */
	private trim(): void {
		if (this.alerts.size <= this.limits.maxAlerts) return;
		for (const [id, st] of this.alerts) {
			if (this.alerts.size <= this.limits.maxAlerts) break;
			if (st.deliveries.every((d) => d.state !== 'pending')) this.alerts.delete(id);
		}
		// Everything left is still waiting (a contact down for very long): drop the oldest, loudly.
		for (const [id, st] of this.alerts) {
			if (this.alerts.size <= this.limits.maxAlerts) break;
			this.log(`alerts outbox full: alert ${id} (${st.alert.kind}) dropped undelivered to ${st.deliveries.filter((d) => d.state === 'pending').map((d) => d.contact).join(', ')}`);
			this.alerts.delete(id);
		}
	}

	/** Rewrites the journal with only the kept alerts (tmp file, fsync, rename). */
	private async rewrite(): Promise<void> {
		const tmp = `${this.file}.tmp`;
		const lines: string[] = [];
		for (const st of this.alerts.values()) {
			lines.push(JSON.stringify({ t: 'alert', alert: st.alert, deliveries: st.deliveries.map(({ contact, due_at, digest }) => ({ contact, due_at, digest })) }));
			for (const d of st.deliveries) {
				if (d.state === 'sent') lines.push(JSON.stringify({ t: 'sent', id: st.alert.id, contact: d.contact, at: d.sent_at, ref: d.ref }));
				if (d.state === 'dropped') lines.push(JSON.stringify({ t: 'dropped', id: st.alert.id, contact: d.contact, at: d.sent_at ?? st.alert.created_at, reason: d.last_error ?? '' }));
			}
			if (st.ack) lines.push(JSON.stringify({ t: 'ack', id: st.alert.id, by: st.ack.by, at: st.ack.at }));
			if (st.reminded) lines.push(JSON.stringify({ t: 'reminded', id: st.alert.id, at: st.alert.created_at }));
		}
		const text = lines.length ? lines.join('\n') + '\n' : '';
		const h = await fs.promises.open(tmp, 'w');
		await h.writeFile(text);
		await h.sync();
		await h.close();
		await this.fd?.close();
		this.fd = null;
		await fs.promises.rename(tmp, this.file);
		const dirFd = await fs.promises.open(this.dir, 'r');
		await dirFd.sync().catch(() => undefined);
		await dirFd.close();
		this.bytes = Buffer.byteLength(text);
	}

	private compact(): Promise<void> {
		this.trim();
		return this.rewrite();
	}

	async close(): Promise<void> {
		await this.chain;
		await this.fd?.close();
		this.fd = null;
	}
}
