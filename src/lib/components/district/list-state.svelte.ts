/**
 * The district's incident list: pages over the cursor API (the page's own cookie authorises the GET),
 * live incidents put on top with a «новое» mark, and status changes applied in place. Bounded.
 */
import type { IncidentStatusMessage } from '../../contract/events';
import type { IncidentPage, IncidentView } from '../../contract/incident';
import { statusAfter } from '../../live/wall-model';
import { DEFAULT_FILTER, PAGE_SIZE, listQuery, matchesFilter, type ListFilter } from './filters';

/** The most the list keeps: a tablet page is open all day. */
export const MAX_ITEMS = 2000;

type Fetch = typeof fetch;

export class IncidentListState {
	items = $state.raw<IncidentView[]>([]);
	/** Ids that arrived live and have not been opened yet. */
	fresh = $state.raw<ReadonlySet<string>>(new Set());
	next = $state<string | null>(null);
	loading = $state(false);
	error = $state<string | null>(null);
	filter = $state.raw<ListFilter>(DEFAULT_FILTER);
	/** Bumped by every reload: a page answered for an older filter is dropped. */
	private generation = 0;

	constructor(
		readonly district: string,
		initial: IncidentPage | null,
		private readonly fetcher: Fetch = (...a) => fetch(...a)
	) {
		if (initial) {
			this.items = initial.items;
			this.next = initial.next_cursor;
		}
	}

	get done(): boolean {
		return this.next === null;
	}

	async setFilter(f: ListFilter): Promise<void> {
		this.filter = f;
		await this.reload();
	}

	/** The first page again, for the current filter; the «новое» marks are cleared. */
	async reload(): Promise<void> {
		const gen = ++this.generation;
		this.loading = true;
		const page = await this.fetchPage(null, gen);
		if (gen !== this.generation) return;
		this.loading = false;
		if (!page) return;
		this.items = page.items;
		this.next = page.next_cursor;
		this.fresh = new Set();
	}

	async loadMore(): Promise<void> {
		if (this.loading || this.next === null || this.items.length >= MAX_ITEMS) return;
		const gen = this.generation;
		this.loading = true;
		const page = await this.fetchPage(this.next, gen);
		if (gen !== this.generation) return;
		this.loading = false;
		if (!page) return;
		const known = new Set(this.items.map((i) => i.id));
		this.items = [...this.items, ...page.items.filter((i) => !known.has(i.id))].slice(0, MAX_ITEMS);
		this.next = page.next_cursor;
	}

	/** A live incident: on top (newest first) when it fits the filter. */
	live(v: IncidentView, now = Date.now()): boolean {
		if (!matchesFilter(v, this.district, this.filter, now) || this.items.some((i) => i.id === v.id)) return false;
		const t = Date.parse(v.created_at);
		const at = this.items.findIndex((i) => Date.parse(i.created_at) < t);
		const items = [...this.items];
		items.splice(at < 0 ? items.length : at, 0, v);
		this.items = items.slice(0, MAX_ITEMS);
		this.fresh = new Set([...this.fresh, v.id]);
		return true;
	}

	status(m: IncidentStatusMessage): void {
		const i = this.items.findIndex((x) => x.id === m.incident_id);
		if (i < 0) return;
		const cur = this.items[i]!;
		const status = statusAfter(m.type, cur.status);
		if (status === cur.status) return;
		const items = [...this.items];
		items[i] = { ...cur, status };
		this.items = items;
	}

	seen(id: string): void {
		if (!this.fresh.has(id)) return;
		const f = new Set(this.fresh);
		f.delete(id);
		this.fresh = f;
	}

	private async fetchPage(cursor: string | null, gen: number): Promise<IncidentPage | null> {
		const q = listQuery(this.district, this.filter, Date.now(), cursor, PAGE_SIZE);
		try {
			const res = await this.fetcher(`/api/v1/incidents?${q}`, { credentials: 'same-origin', cache: 'no-store' });
			if (gen !== this.generation) return null;
			if (res.status === 401) return this.fail('Ключ доступа недействителен или отозван. Попросите у администратора МЦУ новую ссылку.');
			if (res.status === 403) return this.fail('Этот ключ не даёт доступа к обращениям района.');
			if (!res.ok) return this.fail(`Сервер ответил ошибкой ${res.status}. Потяните список вниз, чтобы повторить.`);
			this.error = null;
			return (await res.json()) as IncidentPage;
		} catch {
			return gen === this.generation ? this.fail('Нет связи с сервером. Потяните список вниз, чтобы повторить.') : null;
		}
	}

	private fail(message: string): null {
		this.error = message;
		this.loading = false;
		return null;
	}
}
