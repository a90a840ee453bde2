/** From a valid ingest item to the row stored: UTC times, district, H3 cell, deadline. */
import { latLngToCell } from 'h3-js';
import { feedText, type IncidentInput, type IncidentView, type StatusEventInput } from '../../src/lib/contract/incident.ts';
import { UNKNOWN_DISTRICT } from '../../src/lib/contract/city.ts';
import type { CityPack } from '../city/pack.ts';
import { placeKey } from '../places/identity.ts';
import { hashAuthor } from './author.ts';

/** H3 resolution stored with every located incident: ~0.1 km² cells, a city block. */
export const H3_RESOLUTION = 9;

export interface IncidentRow {
	id: string;
	source: string;
	created_at: string;
	received_at: string;
	category: string;
	district: string;
	lat: number | null;
	lon: number | null;
	/** UInt64 as a decimal string; '0' without a location. */
	h3: string;
	address: string;
	text: string;
	url: string;
	severity: number;
	deadline_at: string;
	/** Place identity (server/places/identity.ts); rows spooled by an older version may lack it. */
	place_key?: string;
	/** Salted hash of the author ('' when unknown or no salt): the author itself is never stored. */
	author_hash: string;
}

export interface EventRow {
	incident_id: string;
	type: string;
	at: string;
	received_at: string;
	executor: string;
	comment: string;
}

export const DEFAULT_SEVERITY = 2;

export function h3Of(lat: number, lon: number): string {
	return BigInt('0x' + latLngToCell(lat, lon, H3_RESOLUTION)).toString();
}

export function toIncidentRow(input: IncidentInput, city: CityPack, receivedAt: Date, authorSalt?: string): IncidentRow {
	const created = new Date(input.created_at);
	const severity = input.severity ?? DEFAULT_SEVERITY;
	const located = input.lat !== undefined && input.lon !== undefined;
	const district = input.district ?? (located ? city.districtAt(input.lat!, input.lon!) : null) ?? UNKNOWN_DISTRICT;
	const hours = input.deadline_hours ?? city.deadlineHours(input.category, severity);
	return {
		id: input.id,
		source: input.source,
		created_at: created.toISOString(),
		received_at: receivedAt.toISOString(),
		category: input.category,
		district,
		lat: located ? input.lat! : null,
		lon: located ? input.lon! : null,
		h3: located ? h3Of(input.lat!, input.lon!) : '0',
		address: input.address ?? '',
		text: input.text ?? '',
		url: input.url ?? '',
		severity,
		deadline_at: city.calendar.addWorkingHours(created, hours).toISOString(),
		place_key: placeKey(input, { cityNames: [city.name] }),
		author_hash: input.author && authorSalt ? hashAuthor(input.author, authorSalt) : ''
	};
}

export function toEventRow(input: StatusEventInput, receivedAt: Date): EventRow {
	return {
		incident_id: input.incident_id,
		type: input.type,
		at: new Date(input.at).toISOString(),
		received_at: receivedAt.toISOString(),
		executor: input.executor ?? '',
		comment: input.comment ?? ''
	};
}

export function eventKey(e: { incident_id: string; type: string; at: string }): string {
	return `${e.incident_id}\u0000${e.type}\u0000${Date.parse(e.at)}`;
}

/** The live view of a freshly stored incident: nothing has answered it yet. `repeatOf` from the live repeat index. */
export function viewOfNewIncident(row: IncidentRow, repeatOf: string | null = null): IncidentView {
	return {
		id: row.id,
		created_at: row.created_at,
		district: row.district,
		category: row.category,
		source: row.source as IncidentView['source'],
		lat: row.lat,
		lon: row.lon,
		address: row.address,
		text: feedText(row.text),
		severity: row.severity,
		status: 'open',
		deadline_at: row.deadline_at,
		repeat_of: repeatOf
	};
}
