/**
 * Alert → «Принято в работу» as figures, through the real journal and the real engine: alerts recorded in
 * the outbox, delivered and accepted; the acceptance log copies them into `alert_acceptance`; the query
 * gives per-district and city-wide counts, median and p90 (numbers worked by hand below). The journal is
 * then replayed as after a crash and written again: the figures do not move.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../server/alerts/outbox.ts';
import { AcceptanceLog } from '../../server/alerts/acceptance-log.ts';
import { acceptanceTimes } from '../../server/alerts/queries/acceptance-times.ts';
import { newAlertId, type Alert } from '../../server/alerts/model.ts';
import { openTestStore, type TestStore } from '../analytics/support/store.ts';
import { tempDir } from '../helpers/app.ts';

const quiet = () => undefined;
const isTelegram = (c: string) => c === 'brief';
/** Monday 2 November 2026, 10:00 in Barnaul = 03:00 UTC. */
const T0 = Date.parse('2026-11-02T03:00:00Z');
const min = (m: number) => new Date(T0 + m * 60_000);
const WEEK = { from: new Date('2026-11-01T17:00:00Z'), to: new Date('2026-11-08T17:00:00Z') };

function alert(over: Partial<Alert>): Alert {
	return { id: newAlertId(), created_at: min(0).toISOString(), event: 'overdue', kind: 'overdue', districts: ['central'], city_wide: false, category: null, severity: 3, urgent: false, incident_ids: ['i-1'], ...over };
}

let ts: TestStore;
let dir: string;

/** Records, delivers and accepts as the dispatcher and the button would (sent / accepted in minutes after T0). */
async function play(box: Outbox, a: Alert, contacts: string[], sentMin: number, acceptedMin: number | null): Promise<void> {
	await box.record(a, contacts.map((contact) => ({ contact, due_at: a.created_at, digest: false })));
	for (const c of contacts) await box.sent(a.id, c, min(sentMin + (c === 'brief' ? 0 : -1)));
	if (acceptedMin !== null) await box.ack(a.id, 'Ирина Петрова (@petrova)', min(acceptedMin));
}

async function figures(districts: string[]) {
	return Object.fromEntries((await acceptanceTimes(ts.store, { ...WEEK, districts })).map((r) => [r.district, r]));
}

beforeAll(async () => {
	ts = await openTestStore('mcu-acceptance-');
	dir = tempDir();
	const box = await Outbox.open(dir, quiet);
	const log = new AcceptanceLog(ts.store, isTelegram, quiet, { flushMs: 50 });
	box.onRecorded((st) => log.note(st));
	// central: waits 6, 12, 30 min, one not accepted; a border hotspot (central + industrialny) 10 min.
	await play(box, alert({}), ['brief'], 0, 6);
	await play(box, alert({ event: 'incident', kind: 'incident', severity: 5 }), ['brief', 'gis'], 10, 22);
	await play(box, alert({}), ['brief'], 20, 50);
	await play(box, alert({}), ['brief'], 30, null);
	await play(box, alert({ event: 'hotspot', kind: 'hotspot_opened', districts: ['central', 'industrialny'], incident_ids: [] }), ['brief'], 60, 70);
	// A city-wide surge: the city's figure only, 2 min.
	await play(box, alert({ event: 'hotspot', kind: 'hotspot_opened', districts: [], city_wide: true, incident_ids: [] }), ['brief'], 120, 122);
	// Not counted: sent only to a webhook (no button there), a reminder, a system alert, last week's alert.
	await play(box, alert({ districts: ['leninsky'] }), ['gis'], 0, null);
	await play(box, alert({ kind: 'reminder', districts: ['leninsky'] }), ['brief'], 0, 5);
	await play(box, alert({ event: 'system', kind: 'store_down', districts: [], severity: 5 }), ['brief'], 0, null);
	await play(box, alert({ districts: ['leninsky'] }), ['brief'], -7 * 24 * 60, -7 * 24 * 60 + 3);
	await log.stop();
	await box.close();
}, 120_000);

afterAll(async () => {
	await ts?.close();
});

describe('time from alert to acceptance', () => {
	it('gives per district and for the city: sent, accepted, median and p90 in minutes', async () => {
		const f = await figures(['', 'central', 'industrialny', 'leninsky']);
		// central waits [6, 10, 12, 30]: median (10 + 12) / 2 = 11; p90 at rank 0.9·3 = 2.7: 12 + 0.7·18 = 24.6.
		expect(f.central).toEqual({ district: 'central', sent: 5, accepted: 4, median_min: 11, p90_min: expect.closeTo(24.6, 9) });
		expect(f.industrialny).toEqual({ district: 'industrialny', sent: 1, accepted: 1, median_min: 10, p90_min: 10 });
		// The city: the border hotspot once, the surge added: [2, 6, 10, 12, 30]; p90 at rank 3.6: 12 + 0.6·18 = 22.8.
		expect(f['']).toEqual({ district: '', sent: 6, accepted: 5, median_min: 10, p90_min: expect.closeTo(22.8, 9) });
		// leninsky had only what does not count this week.
		expect(f.leninsky).toBeUndefined();
	});

	it('reads only the districts asked for (a district scope passes its own)', async () => {
		expect(Object.keys(await figures(['industrialny']))).toEqual(['industrialny']);
		expect(await figures(['leninsky'])).toEqual({});
	});

	it('counts last week in last week', async () => {
		const rows = await acceptanceTimes(ts.store, { from: new Date(WEEK.from.getTime() - 7 * 86_400_000), to: WEEK.from, districts: ['leninsky'] });
		expect(rows).toEqual([{ district: 'leninsky', sent: 1, accepted: 1, median_min: 3, p90_min: 3 }]);
	});

	it('is unchanged after the journal is replayed and written again (a crash, twice)', async () => {
		const before = await figures(['', 'central', 'industrialny']);
		for (let i = 0; i < 2; i++) {
			const box = await Outbox.open(dir, quiet);
			const log = new AcceptanceLog(ts.store, isTelegram, quiet, { flushMs: 10 });
			log.resync(box.all());
			await log.stop();
			await box.close();
		}
		const raw = await ts.store.query({ query: "SELECT count() AS n FROM alert_acceptance WHERE district = 'central'", format: 'JSONEachRow' });
		// Nine rows for central (5 sent + 4 accepted) written three times, not yet necessarily merged.
		expect(Number(((await raw.json()) as { n: string }[])[0]!.n)).toBeGreaterThanOrEqual(9);
		expect(await figures(['', 'central', 'industrialny'])).toEqual(before);
	});
});
