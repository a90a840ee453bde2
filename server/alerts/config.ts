/**
 * The alerts file (MCU_ALERTS_FILE): contact points, routes and delivery options, validated with zod.
 * Every refusal names the field (`contacts.brief.chat_id: …`), so an operator can fix the file from the
 * message alone. Cross-field rules (a route naming an unknown contact, a webhook over plain HTTP to a
 * host that is not this machine) are checked after the shape.
 */
import fs from 'node:fs';
import { z } from 'zod';

export const ALERT_EVENTS = ['hotspot', 'overdue', 'incident', 'system'] as const;
export type AlertEventName = (typeof ALERT_EVENTS)[number];

const name = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a contact name is 1–64 letters, digits, "_" or "-"');

const TelegramContact = z.object({
	type: z.literal('telegram'),
	bot_token: z.string().trim().regex(/^\d+:[A-Za-z0-9_-]{10,}$/, 'a bot token looks like "123456:ABC…" (from @BotFather)'),
	chat_id: z.union([z.string().trim().min(1, 'is empty: give the chat id (e.g. "-1001234567890") or "@channel"'), z.number().int()]).transform(String),
	/** Messages a minute to this chat; Telegram allows about 20 to a group. */
	per_minute: z.number().int().min(1).max(20).default(20)
});

const WebhookContact = z.object({
	type: z.literal('webhook'),
	url: z.url(),
	secret: z.string().min(16, 'needs at least 16 characters: it signs every request'),
	timeout_ms: z.number().int().min(100).max(60_000).default(10_000)
});

const EmailContact = z.object({
	type: z.literal('email'),
	to: z.array(z.email()).min(1, 'needs at least one address'),
	smtp_url: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'is an smtp:// or smtps:// URL'),
	from: z.email()
});

const Contact = z.discriminatedUnion('type', [TelegramContact, WebhookContact, EmailContact]);

const Match = z
	.object({
		district: z.string().min(1).optional(),
		districts: z.array(z.string().min(1)).min(1).optional(),
		category: z.string().min(1).optional(),
		categories: z.array(z.string().min(1)).min(1).optional(),
		min_severity: z.number().int().min(1).max(5).optional(),
		events: z.array(z.enum(ALERT_EVENTS)).min(1).optional()
	})
	.strict();

const Route = z.object({ match: Match.default({}), contacts: z.array(name).min(1, 'names no contact') }).strict();

const Options = z
	.object({
		/** Overdue incidents of one district are gathered this long into one message. */
		group_window_s: z.number().int().min(1).max(3600).default(60),
		/** Outside the city's working calendar only urgent alerts go out; the rest wait for the digest. */
		quiet_hours: z.boolean().default(true),
		/** Local time of the digest on the next working day. */
		digest_at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'is HH:MM').default('09:00'),
		/** Severity from which an alert is urgent (goes out at night). */
		urgent_severity: z.number().int().min(1).max(5).default(4),
		/** A new incident of at least this severity is an alert (event "incident"). */
		incident_min_severity: z.number().int().min(1).max(5).default(4),
		/** Minutes after which an unacknowledged overdue alert is sent again as a reminder; 0 = never. */
		remind_after_min: z.number().int().min(0).max(10_080).default(60),
		/** Share of the spool limit from which "spool filling" is raised. */
		spool_alert_share: z.number().gt(0).max(1).default(0.5),
		/** How button presses come back: long polling, or a webhook under MCU_PUBLIC_URL (must be https for Telegram). */
		telegram_updates: z.enum(['polling', 'webhook']).default('polling')
	})
	.strict()
	.default({ group_window_s: 60, quiet_hours: true, digest_at: '09:00', urgent_severity: 4, incident_min_severity: 4, remind_after_min: 60, spool_alert_share: 0.5, telegram_updates: 'polling' as const });

const AlertsFileSchema = z
	.object({
		contacts: z.record(name, Contact).refine((c) => Object.keys(c).length > 0, 'names no contact point'),
		routes: z.array(Route).min(1, 'has no route: nothing would be sent'),
		options: Options
	})
	.strict();

export type AlertsFile = z.infer<typeof AlertsFileSchema>;
export type ContactPoint = AlertsFile['contacts'][string];
export type TelegramContactPoint = z.infer<typeof TelegramContact>;
export type WebhookContactPoint = z.infer<typeof WebhookContact>;
export type EmailContactPoint = z.infer<typeof EmailContact>;
export type AlertRoute = AlertsFile['routes'][number];
export type AlertOptions = AlertsFile['options'];

export class AlertsFileError extends Error {
	constructor(
		readonly file: string,
		readonly problems: string[]
	) {
		super(`Invalid alerts file ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
	}
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Parses the text of an alerts file; throws AlertsFileError listing every problem with its field. */
export function parseAlertsFile(text: string, file: string, known: { districts: string[]; categories: string[] }): AlertsFile {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch (e) {
		throw new AlertsFileError(file, [`(file): not valid JSON: ${(e as Error).message}`]);
	}
	const parsed = AlertsFileSchema.safeParse(raw);
	if (!parsed.success) {
		throw new AlertsFileError(file, parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`));
	}
	const cfg = parsed.data;
	const problems: string[] = [];
	for (const [cname, c] of Object.entries(cfg.contacts)) {
		if (c.type !== 'webhook') continue;
		const u = new URL(c.url);
		if (u.protocol === 'https:') continue;
		if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) continue;
		problems.push(`contacts.${cname}.url: must be https:// (plain http only to this machine), got ${u.protocol}//${u.host}`);
	}
	const districts = new Set([...known.districts, 'unknown']);
	const categories = new Set(known.categories);
	cfg.routes.forEach((r, i) => {
		r.contacts.forEach((c, j) => {
			if (!cfg.contacts[c]) problems.push(`routes.${i}.contacts.${j}: unknown contact "${c}" (known: ${Object.keys(cfg.contacts).join(', ')})`);
		});
		const ds = [...(r.match.district ? [r.match.district] : []), ...(r.match.districts ?? [])];
		for (const d of ds) if (!districts.has(d)) problems.push(`routes.${i}.match: unknown district "${d}"`);
		const cs = [...(r.match.category ? [r.match.category] : []), ...(r.match.categories ?? [])];
		for (const c of cs) if (categories.size > 0 && !categories.has(c)) problems.push(`routes.${i}.match: unknown category "${c}"`);
	});
	if (problems.length > 0) throw new AlertsFileError(file, problems);
	return cfg;
}

export function readAlertsFile(file: string, known: { districts: string[]; categories: string[] }): AlertsFile {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (e) {
		throw new AlertsFileError(file, [`(file): cannot be read: ${(e as Error).message}`]);
	}
	return parseAlertsFile(text, file, known);
}

/** The districts and categories an alerts file may name: those of the city pack. */
export function knownOf(city: { districts: { code: string }[]; categories: { code: string }[] }): { districts: string[]; categories: string[] } {
	return { districts: city.districts.map((d) => d.code), categories: city.categories.map((c) => c.code) };
}

/**
 * Keeps the alerts file in force: the one read at start (a bad one there throws: the process must not
 * start), then re-reads it when it changes. A broken edit keeps the last good file; the error is logged
 * and kept for /admin until a good edit replaces it.
 */
export class AlertsFileWatcher {
	private current: AlertsFile;
	private lastError: { at: string; message: string } | null = null;
	private loadedAt: string;
	private timer: NodeJS.Timeout | null = null;
	private mtime = 0;

	constructor(
		readonly file: string,
		private readonly known: { districts: string[]; categories: string[] },
		private readonly log: (msg: string) => void,
		private readonly now: () => Date = () => new Date()
	) {
		this.current = readAlertsFile(file, known);
		this.mtime = this.stamp();
		this.loadedAt = now().toISOString();
	}

	get config(): AlertsFile {
		return this.current;
	}

	get status(): { file: string; loaded_at: string; error: { at: string; message: string } | null } {
		return { file: this.file, loaded_at: this.loadedAt, error: this.lastError };
	}

	/** Polls the file's mtime (fs.watch misses editors that replace the file). */
	watch(everyMs = 1000, onChange?: (cfg: AlertsFile) => void): void {
		this.timer = setInterval(() => {
			const m = this.stamp();
			if (m === this.mtime) return;
			this.mtime = m;
			if (this.reload()) onChange?.(this.current);
		}, everyMs);
		this.timer.unref();
	}

	/** Re-reads now; true when the new file is in force. */
	reload(): boolean {
		try {
			this.current = readAlertsFile(this.file, this.known);
			this.loadedAt = this.now().toISOString();
			this.lastError = null;
			this.log(`alerts file ${this.file} re-read`);
			return true;
		} catch (e) {
			this.lastError = { at: this.now().toISOString(), message: (e as Error).message };
			this.log(`${(e as Error).message}\n  the last good alerts file stays in force`);
			return false;
		}
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	private stamp(): number {
		try {
			const s = fs.statSync(this.file);
			return s.mtimeMs + s.size;
		} catch {
			return -1;
		}
	}
}
