/**
 * The Russian text of alerts, for Telegram (parse_mode HTML: every outside string escaped), e-mail
 * (plain text) and webhooks (JSON). Links go to the product's pages under MCU_PUBLIC_URL and never carry
 * an access token: whoever opens one signs in with their own.
 */
import type { Alert, AlertIncident } from './model.ts';

export interface MessageContext {
	publicUrl: string | null;
	tz: string;
	districtName(code: string): string;
	categoryLabel(code: string): string;
}

/** Escapes text for Telegram's HTML parse mode: only &, < and > are special there. */
export function escapeHtml(s: string): string {
	return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const fmtNum = (x: number) => (Math.round(x * 10) / 10).toLocaleString('ru-RU');

function clock(iso: string, tz: string): string {
	return new Intl.DateTimeFormat('ru-RU', { timeZone: tz, day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

function linkOf(a: Alert, ctx: MessageContext): string | null {
	if (!ctx.publicUrl) return null;
	const base = ctx.publicUrl.replace(/\/+$/, '');
	const d = a.districts.find((x) => x !== 'unknown');
	if (a.event === 'system' || a.event === 'test') return `${base}/admin`;
	return d && !a.city_wide ? `${base}/district/${encodeURIComponent(d)}` : `${base}/wall`;
}

function where(a: Alert, ctx: MessageContext): string {
	if (a.city_wide) return 'весь город';
	return a.districts.map((d) => ctx.districtName(d)).join(', ') || '—';
}

const HOTSPOT_TITLE = { hotspot_opened: 'Новый очаг напряжённости', hotspot_escalated: 'Очаг растёт', hotspot_closed: 'Очаг затих' } as const;

/** Lines of plain text (not yet escaped): the title first. */
export function alertLines(a: Alert, ctx: MessageContext): string[] {
	const lines: string[] = [];
	const cat = a.category ? ctx.categoryLabel(a.category) : null;
	if (a.hotspot && (a.kind === 'hotspot_opened' || a.kind === 'hotspot_escalated' || a.kind === 'hotspot_closed')) {
		const h = a.hotspot;
		const surge = h.kind === 'surge';
		lines.push(`${surge ? '📈 Всплеск' : '🔥'} ${HOTSPOT_TITLE[a.kind]}: ${cat ?? h.category}`);
		lines.push(`Где: ${where(a, ctx)}${h.place ? `, ${h.place}` : ''}`);
		lines.push(`Сколько: ${h.count} обращений при обычных ${fmtNum(h.expected)}${h.window_h ? ` за ${h.window_h} ч` : ''}`);
		lines.push(`С ${clock(h.started_at, ctx.tz)}; ${a.kind === 'hotspot_closed' ? 'больше не выделяется' : h.growing ? 'растёт' : 'не растёт'}`);
	} else if (a.kind === 'overdue' || a.kind === 'reminder') {
		const list = a.incidents ?? [];
		lines.push(`${a.kind === 'reminder' ? '⏰ Напоминание: не принято в работу' : '⌛ Просрочен ответ'} — ${where(a, ctx)}: ${a.incident_ids.length} обращ.`);
		for (const i of list.slice(0, 10)) lines.push(incidentLine(i, ctx, true));
		if (a.incident_ids.length > 10) lines.push(`…и ещё ${a.incident_ids.length - 10}`);
	} else if (a.kind === 'incident') {
		const i = a.incidents?.[0];
		lines.push(`🚨 Срочное обращение (важность ${a.severity}): ${cat ?? ''} — ${where(a, ctx)}`);
		if (i) lines.push(incidentLine(i, ctx, false));
	} else {
		const titles = { store_down: '⚠️ Хранилище недоступно', store_up: '✅ Хранилище снова доступно', spool_filling: '⚠️ Буфер приёма заполняется', test: '🔔 Проверка канала оповещений МЦУ' } as const;
		lines.push(titles[a.kind as keyof typeof titles] ?? a.kind);
		if (a.detail) lines.push(a.detail);
	}
	return lines;
}

function incidentLine(i: AlertIncident, ctx: MessageContext, withDeadline: boolean): string {
	const addr = i.address || 'адрес не указан';
	const text = i.text ? ` — «${i.text}»` : '';
	const due = withDeadline ? ` (срок истёк ${clock(i.deadline_at, ctx.tz)})` : ` (с ${clock(i.created_at, ctx.tz)})`;
	return `• ${ctx.categoryLabel(i.category)}, ${addr}${due}${text}`;
}

/** Telegram HTML: the title bold, every line escaped, the link and the alert's number last. */
export function telegramText(a: Alert, ctx: MessageContext): string {
	const [title, ...rest] = alertLines(a, ctx).map(escapeHtml);
	const link = linkOf(a, ctx);
	const parts = [`<b>${title}</b>`, ...rest];
	if (link) parts.push(`<a href="${escapeHtml(link)}">Открыть в МЦУ Пульс</a>`);
	parts.push(`№ ${a.id}`);
	return cut(parts.join('\n'), 3900);
}

/** One message for everything that waited through quiet hours. */
export function digestText(alerts: Alert[], ctx: MessageContext, html: boolean): string {
	const esc = html ? escapeHtml : (s: string) => s;
	const head = `Сводка за нерабочее время: ${alerts.length} оповещ.`;
	const body = alerts.map((a) => `${esc(alertLines(a, ctx)[0]!)} (№ ${a.id})`);
	return cut([html ? `<b>${head}</b>` : head, ...body].join('\n'), 3900);
}

export function plainText(a: Alert, ctx: MessageContext): { subject: string; text: string } {
	const lines = alertLines(a, ctx);
	const link = linkOf(a, ctx);
	return { subject: `МЦУ Пульс: ${lines[0]}`, text: [...lines, ...(link ? ['', link] : []), '', `№ ${a.id}`].join('\n') };
}

/** The webhook body: the alert as data plus its link and text. */
export function webhookBody(alerts: Alert[], ctx: MessageContext): string {
	const items = alerts.map((a) => ({ ...a, link: linkOf(a, ctx), text: alertLines(a, ctx).join('\n') }));
	return JSON.stringify(items.length === 1 ? items[0] : { digest: true, alerts: items });
}

export function acceptedLine(by: string, at: Date, tz: string): string {
	return `✅ Принято в работу: ${by}, ${clock(at.toISOString(), tz)}`;
}

function cut(s: string, max: number): string {
	// Telegram allows 4096 characters; never cut inside an HTML entity or tag of our own.
	if (s.length <= max) return s;
	const head = s.slice(0, max);
	const safe = head.slice(0, Math.max(head.lastIndexOf('\n'), 0));
	return `${safe}\n…`;
}
