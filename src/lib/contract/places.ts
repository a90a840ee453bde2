/** `GET /api/v1/places`: chronic places, where one category keeps coming back (root causes). */

export interface PlaceMonth {
	/** YYYY-MM in the city's zone. */
	month: string;
	n: number;
}

export interface PlaceAnswer {
	at: string;
	/** Who gave the answer (the status event's executor); '' when the source did not say. */
	executor: string;
	/** The answer's comment as the source sent it: render as text. */
	comment: string;
}

export interface ChronicPlace {
	/** The stored place identity (`a:…` address, `g:…` ~30 m cell, `n:…` named place). */
	place_key: string;
	kind: 'address' | 'area' | 'named';
	/** The latest address written for it; '' for an area known only by its location. */
	address: string;
	district: string;
	category: string;
	/** Mean location of its incidents, or null when none had one. */
	lat: number | null;
	lon: number | null;
	/** Incidents in the period. */
	count: number;
	/** Incidents per month over the history asked for, oldest first, empty months omitted. */
	months: PlaceMonth[];
	/** Incidents of the period that repeat an earlier one here. */
	repeats: number;
	/** Of those, how many came after the earlier one had been answered: the answer did not fix it. */
	repeats_after_answer: number;
	/** repeats_after_answer / count (0..1). */
	repeat_after_answer_share: number;
	first_at: string;
	last_at: string;
	/** The latest official answer to any of its incidents, or null. */
	last_answer: PlaceAnswer | null;
}

export interface PlacesResponse {
	district: string | null;
	category: string | null;
	days: number;
	/** The least number of incidents in the period for a place to count as chronic. */
	min_count: number;
	items: ChronicPlace[];
}
