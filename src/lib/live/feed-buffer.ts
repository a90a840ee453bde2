/**
 * The newest incidents, bounded and free of duplicates. A wall runs for weeks and sees the same incident
 * from a live event, a snapshot after a reconnect and an HTTP resync: the id decides, and the oldest fall off.
 */
import type { IncidentStatus, IncidentView } from '../contract/incident';

interface Entry {
	view: IncidentView;
	at: number;
}

function newerFirst(a: Entry, b: Entry): number {
	return b.at - a.at || (a.view.id < b.view.id ? 1 : a.view.id > b.view.id ? -1 : 0);
}

export class FeedBuffer {
	private entries: Entry[] = [];
	private byId = new Map<string, Entry>();

	constructor(readonly max: number) {
		if (!(max > 0)) throw new RangeError('FeedBuffer needs a positive bound');
	}

	get size(): number {
		return this.entries.length;
	}

	has(id: string): boolean {
		return this.byId.has(id);
	}

	/** Adds one incident; false when it is already there or too old to be among the newest `max`. */
	add(view: IncidentView): boolean {
		if (this.byId.has(view.id)) return false;
		const entry: Entry = { view, at: Date.parse(view.created_at) || 0 };
		const full = this.entries.length >= this.max;
		const oldest = this.entries[this.entries.length - 1];
		if (full && oldest && newerFirst(entry, oldest) > 0) return false;
		// Live incidents are nearly always the newest: search from the front.
		let i = 0;
		while (i < this.entries.length && newerFirst(this.entries[i]!, entry) < 0) i++;
		this.entries.splice(i, 0, entry);
		this.byId.set(view.id, entry);
		while (this.entries.length > this.max) this.byId.delete(this.entries.pop()!.view.id);
		return true;
	}

	/** Merges a snapshot's feed: what is new is added, what is known keeps its place. Returns how many were new. */
	merge(views: readonly IncidentView[]): number {
		let added = 0;
		for (const v of views) if (this.add(v)) added++;
		return added;
	}

	/** A status change of a shown incident; false when it is not shown. */
	setStatus(id: string, status: IncidentStatus): boolean {
		const e = this.byId.get(id);
		if (!e || e.view.status === status) return false;
		e.view = { ...e.view, status };
		return true;
	}

	/** A fresh array, newest first: reactive holders replace their value with it. */
	toArray(): IncidentView[] {
		return this.entries.map((e) => e.view);
	}
}
