/** The tablet's line on alert → «Принято в работу»: the district's figure beside the city's. */
import type { AlertAcceptance } from '../../contract/snapshot';
import { formatInt, formatMinutes, plural } from '../../format/number';

const ALERTS = ['оповещения', 'оповещений', 'оповещений'] as const;

/** «медиана 12 мин, 90 % — до 40 мин; принято 3 из 4 оповещений» or «оповещений не было». */
export function acceptanceText(a: AlertAcceptance | null | undefined): string {
	if (!a || a.sent === 0) return 'оповещений не было';
	const taken = `принято ${formatInt(a.accepted)} из ${formatInt(a.sent)} ${plural(a.sent, ALERTS)}`;
	if (a.median_min === null) return `пока не принято ни одно из ${formatInt(a.sent)} ${plural(a.sent, ALERTS)}`;
	return `медиана ${formatMinutes(a.median_min)}, 90\u00a0% — до ${formatMinutes(a.p90_min)}; ${taken}`;
}
