/** One hotspot as a line for the wall: «Индустриальный район, ул. Попова: 7 жалоб на отопление за 3 ч (обычно 0,4)». */
import type { Hotspot } from '../contract/snapshot';
import type { Labels } from './labels';
import { formatExpected, plural } from './number';
import { formatHm, formatSpan } from './time';

/** «ул. Попова, 104» → «ул. Попова»: a house number is too precise for a cluster of cells. */
export function placeName(place: string | undefined): string {
	if (!place) return '';
	return place.replace(/,\s*(д\.\s*)?\d[\p{L}\d/\-–\s]*$/u, '').trim();
}

export interface HotspotLine {
	id: string;
	where: string;
	what: string;
	since: string;
	growing: boolean;
	/** A surge: one category far above its usual level over a district or the whole city. */
	surge: boolean;
}

export function hotspotLine(h: Hotspot, labels: Labels, now: number, tz: string): HotspotLine {
	const place = placeName(h.place);
	const started = Date.parse(h.started_at);
	const span = Number.isFinite(started) ? ` ${formatSpan(now - started)}` : '';
	const surge = h.kind === 'surge';
	return {
		id: h.id,
		where: place && !surge ? `${hotspotArea(h, labels)}, ${place}` : hotspotArea(h, labels),
		what: `${surge ? 'всплеск: ' : ''}${h.count} ${plural(h.count, ['жалоба', 'жалобы', 'жалоб'])} ${labels.categoryAbout(h.category)}${span} (обычно ${formatExpected(h.expected)})`,
		since: Number.isFinite(started) ? `с ${formatHm(started, tz)}` : '',
		growing: h.growing,
		surge
	};
}

/** The full sentence, as the alert banner shows it. */
export function hotspotSentence(h: Hotspot, labels: Labels, now: number, tz: string): string {
	const l = hotspotLine(h, labels, now, tz);
	return `${l.where}: ${l.what}`;
}

/** Where a hotspot is, as a heading: its district, or the whole city for a city-wide surge. */
export function hotspotArea(h: Pick<Hotspot, 'district'>, labels: Labels): string {
	return h.district === null ? 'Весь город' : labels.districtFull(h.district);
}
