/** What the incident sheet shows: a safe source link, a timeline of status events, local date-times. */
import type { EventType, IncidentDetail } from '../../contract/incident';

/** Only http(s) links are shown: a `javascript:` or `data:` URL from a source never becomes a link. */
export function safeUrl(url: string | null | undefined): string | null {
	if (!url) return null;
	try {
		const u = new URL(url);
		return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
	} catch {
		return null;
	}
}

export const EVENT_LABELS: Record<EventType | 'created', string> = {
	created: 'Поступило',
	assigned: 'Назначен исполнитель',
	responded: 'Дан ответ',
	resolved: 'Решено',
	reopened: 'Открыто повторно'
};

export const STATUS_LABELS: Record<string, string> = { open: 'без ответа', responded: 'дан ответ', resolved: 'решено' };

export interface TimelineEntry {
	kind: EventType | 'created';
	at: string;
	executor: string;
	comment: string;
}

/** Creation first, then the status events in time order. */
export function timeline(d: Pick<IncidentDetail, 'created_at' | 'events'>): TimelineEntry[] {
	const events = [...d.events]
		.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
		.map((e) => ({ kind: e.type, at: e.at, executor: e.executor, comment: e.comment }));
	return [{ kind: 'created', at: d.created_at, executor: '', comment: '' }, ...events];
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** «05.03.2024, 14:32» in the city's zone. */
export function formatDateTime(t: string | number, tz: string): string {
	let f = formats.get(tz);
	if (!f) {
		f = new Intl.DateTimeFormat('ru-RU', { timeZone: tz, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
		formats.set(tz, f);
	}
	return f.format(new Date(t));
}
