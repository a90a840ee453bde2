/**
 * The delivery loop, beside ingest (its own timer; nothing on the ingest path awaits it). Per contact
 * point one request at a time, oldest first; a failure backs that contact off (1 s doubling to 5 min,
 * or Telegram's `retry_after`) without holding the others; a Telegram chat gets at most `per_minute`
 * messages in any 60 s. Deliveries held by quiet hours go out together, as one digest, when due.
 */
import type { ContactPoint } from './config.ts';
import type { Alert, AlertState, DeliveryState } from './model.ts';
import type { Outbox } from './outbox.ts';
import { SendError, type Senders } from './senders/index.ts';

const TICK_MS = 250;
const MAX_BACKOFF_MS = 5 * 60_000;

interface ContactRuntime {
	busy: boolean;
	notBefore: number;
	failures: number;
}

export interface DispatcherDeps {
	outbox: Outbox;
	senders: Senders;
	contacts: () => Record<string, ContactPoint>;
	log: (msg: string) => void;
	now: () => Date;
	/** Told when a delivery went out (benchmarks, tests). */
	onSent?: (alert: Alert, contact: string) => void;
}

export class Dispatcher {
	private readonly runtime = new Map<string, ContactRuntime>();
	/** Send times of the last minute per Telegram chat (several contact names may share one chat). */
	private readonly recentByChat = new Map<string, number[]>();
	private timer: NodeJS.Timeout | null = null;
	private stopped = false;
	private inFlight = new Set<Promise<void>>();

	constructor(private readonly deps: DispatcherDeps) {}

	start(): void {
		this.stopped = false;
		this.schedule(0);
	}

	/** Something new to send: look now rather than at the next tick. */
	kick(): void {
		if (!this.stopped) this.schedule(0);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
		await Promise.allSettled([...this.inFlight]);
	}

	/** Contact state for /admin: failures in a row and the next try. */
	contactState(name: string): { failures: number; retry_at: string | null } {
		const rt = this.runtime.get(name);
		return { failures: rt?.failures ?? 0, retry_at: rt && rt.notBefore > Date.now() ? new Date(rt.notBefore).toISOString() : null };
	}

	private schedule(ms: number): void {
		if (this.timer) {
			if (ms > 0) return;
			clearTimeout(this.timer);
		}
		this.timer = setTimeout(() => {
			this.timer = null;
			this.tick();
			if (!this.stopped) this.schedule(TICK_MS);
		}, ms);
		this.timer.unref();
	}

	private rt(name: string): ContactRuntime {
		let rt = this.runtime.get(name);
		if (!rt) {
			rt = { busy: false, notBefore: 0, failures: 0 };
			this.runtime.set(name, rt);
		}
		return rt;
	}

	private tick(): void {
		const contacts = this.deps.contacts();
		for (const name of this.runtime.keys()) if (!contacts[name]) this.runtime.delete(name);
		for (const [chat, times] of this.recentByChat) if (times.every((t) => Date.now() - t >= 60_000)) this.recentByChat.delete(chat);
		const now = this.deps.now().getTime();
		const wall = Date.now();
		const due = new Map<string, { st: AlertState; d: DeliveryState }[]>();
		for (const st of this.deps.outbox.all()) {
			for (const d of st.deliveries) {
				if (d.state !== 'pending' || Date.parse(d.due_at) > now) continue;
				let list = due.get(d.contact);
				if (!list) due.set(d.contact, (list = []));
				list.push({ st, d });
			}
		}
		for (const [name, list] of due) {
			const contact = contacts[name];
			if (!contact) continue; // removed from the file: kept pending until it comes back
			const rt = this.rt(name);
			if (rt.busy || rt.notBefore > wall) continue;
			if (contact.type === 'telegram') {
				const key = `${contact.bot_token.split(':')[0]}/${contact.chat_id}`;
				const recent = (this.recentByChat.get(key) ?? []).filter((t) => wall - t < 60_000);
				this.recentByChat.set(key, recent);
				if (recent.length >= contact.per_minute) continue;
			}
			const digests = list.filter((x) => x.d.digest);
			const batch = digests.length > 0 ? digests.slice(0, 50) : [list[0]!];
			const p = this.deliver(name, contact, rt, batch, digests.length > 0);
			this.inFlight.add(p);
			void p.finally(() => this.inFlight.delete(p));
		}
	}

	private async deliver(name: string, contact: ContactPoint, rt: ContactRuntime, batch: { st: AlertState; d: DeliveryState }[], digest: boolean): Promise<void> {
		rt.busy = true;
		try {
			for (const x of batch) x.d.attempts++;
			if (contact.type === 'telegram') this.recentByChat.get(`${contact.bot_token.split(':')[0]}/${contact.chat_id}`)?.push(Date.now());
			// A digest of one is still a digest: it says it waited.
			const { ref } = await this.deps.senders.send(contact, batch.map((x) => x.st.alert), digest);
			rt.failures = 0;
			rt.notBefore = 0;
			for (const x of batch) {
				await this.deps.outbox.sent(x.st.alert.id, name, this.deps.now(), batch.length === 1 ? ref : null);
				this.deps.onSent?.(x.st.alert, name);
			}
		} catch (e) {
			rt.failures++;
			const msg = (e as Error).message;
			for (const x of batch) x.d.last_error = msg;
			const retryAfter = e instanceof SendError ? e.retryAfterMs : null;
			const wait = retryAfter ?? Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(rt.failures - 1, 20));
			rt.notBefore = Date.now() + wait;
			if (rt.failures === 1 || rt.failures % 10 === 0) this.deps.log(`alert delivery to ${name} failed (${rt.failures} in a row), next try in ${Math.round(wait / 1000)} s: ${msg}`);
		} finally {
			rt.busy = false;
		}
		if (!this.stopped) this.kick();
	}
}
