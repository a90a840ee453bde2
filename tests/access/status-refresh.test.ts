/**
 * A status event changes a district's numbers as soon as it is stored: the district tablet gets its new
 * `open` count pushed, not only on the 30 s clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotDelta } from '../../src/lib/contract/snapshot.ts';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { connected, connectLive, nextEvent, until, type LiveSocket } from '../helpers/live.ts';

let app: StartedApp;
let tablet: LiveSocket;
const deltas: SnapshotDelta[] = [];

beforeAll(async () => {
	app = await startApp({ pages: false });
	tablet = connectLive(app.url, app.tokens.districts.central!);
	const first = nextEvent(tablet, 'snapshot');
	await connected(tablet);
	await first;
	tablet.on('aggregates', (d) => deltas.push(d));
});
afterAll(async () => {
	tablet?.close();
	await app?.stop();
});

describe('district numbers after a status event', () => {
	it('pushes the new open count to the district of the answered incident', async () => {
		const open = incident({ district: 'central', created_at: new Date(Date.now() - 600_000).toISOString() });
		expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, open)).status).toBe(202);
		await until(() => deltas.some((d) => d.kpis?.open === 1), 15_000, 'open = 1 pushed');

		const answered = { incident_id: open.id, type: 'responded', at: new Date().toISOString(), executor: 'Администрация Центрального района' };
		expect((await post(`${app.url}/api/v1/events`, app.tokens.ingest, answered)).status).toBe(202);
		await until(() => deltas.at(-1)?.kpis?.open === 0, 15_000, 'open = 0 pushed');
		expect(deltas.at(-1)!.scope.district).toBe('central');
		expect(deltas.at(-1)!.districts?.[0]).toMatchObject({ code: 'central', open: 0 });
	});
});
