/** Reads chronic places for a page: `GET /api/v1/places` with the page's token (the server scopes it). */
import type { PlacesResponse } from '../contract/places';

export interface PlacesQuery {
	district?: string | null;
	category?: string | null;
	days?: number;
	min?: number;
	limit?: number;
}

export function placesUrl(q: PlacesQuery): string {
	const p = new URLSearchParams();
	if (q.district) p.set('district', q.district);
	if (q.category) p.set('category', q.category);
	if (q.days) p.set('days', String(q.days));
	if (q.min) p.set('min', String(q.min));
	if (q.limit) p.set('limit', String(q.limit));
	const s = p.toString();
	return `/api/v1/places${s ? `?${s}` : ''}`;
}

/** `token` null: the HttpOnly cookie of a signed-in page carries it. */
export async function fetchPlaces(q: PlacesQuery, token: string | null, fetcher: typeof fetch = fetch): Promise<PlacesResponse> {
	const res = await fetcher(placesUrl(q), { headers: token ? { authorization: `Bearer ${token}` } : {} });
	if (!res.ok) throw new Error(`places: HTTP ${res.status}`);
	return (await res.json()) as PlacesResponse;
}
