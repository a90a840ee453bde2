/**
 * Root causes in the weekly report: the repeat share of the week against the week before, and the week's
 * top chronic places (at least two incidents of one category at one place in the week) with a year of
 * monthly history, for the city and each district. Stored data up to the week's end only.
 */
import type { CityPublic } from '../../src/lib/contract/city.ts';
import type { ReportRepeats, ReportScopeData } from '../../src/lib/contract/reports.ts';
import type { Store } from '../store/client.ts';
import { chronicPlaces } from './chronic.ts';
import { weekRepeats } from './queries/week-repeats.ts';
import { repeatWindows } from './windows.ts';

const REPORT_PLACES = 5;
const WEEK_MIN = 2;
const HISTORY_DAYS = 365;

const share = (r: number, n: number): number | null => (n > 0 ? Math.round((r / n) * 10_000) / 10_000 : null);

export async function weekRootCauses(
	store: Store,
	city: CityPublic,
	week: { start: Date; end: Date },
	prevStart: Date,
	tz: string
): Promise<(district: string | null) => Pick<ReportScopeData, 'repeats' | 'chronic'>> {
	const windows = repeatWindows(city);
	const rows = await weekRepeats(store, { start: week.start, end: week.end, prev_start: prevStart }, windows);
	const days = Math.round((week.end.getTime() - week.start.getTime()) / 86_400_000);
	const chronic = new Map<string, ReportScopeData['chronic']>();
	for (const code of [null, ...city.districts.map((d) => d.code)]) {
		const r = await chronicPlaces(store, tz, windows, {
			district: code,
			category: null,
			days,
			minCount: WEEK_MIN,
			limit: REPORT_PLACES,
			now: week.end,
			to: week.end,
			histFrom: new Date(week.end.getTime() - HISTORY_DAYS * 86_400_000)
		});
		chronic.set(code ?? '', r.items);
	}
	return (district) => {
		const row = rows.find((x) => x.scope_district === (district ?? ''));
		const repeats: ReportRepeats = {
			n: row?.n ?? 0,
			repeats: row?.repeats ?? 0,
			share: share(row?.repeats ?? 0, row?.n ?? 0),
			n_prev: row?.n_prev ?? 0,
			repeats_prev: row?.repeats_prev ?? 0,
			share_prev: share(row?.repeats_prev ?? 0, row?.n_prev ?? 0)
		};
		return { repeats, chronic: chronic.get(district ?? '') ?? [] };
	};
}
