/** The newcomer's demo: something happens every 20–60 s, at night too, and a cluster lands within minutes. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCityPack } from '../../server/city/pack.ts';
import { startLiveSimulator } from '../../server/simulate/live.ts';
import type { ClusterTruth } from '../../server/simulate/clusters.ts';
import type { IncidentInput } from '../../src/lib/contract/incident.ts';

const city = loadCityPack(path.resolve('city/barnaul'), 'Asia/Barnaul');

async function runFor(lively: boolean, minutes: number, start: Date): Promise<{ incidents: IncidentInput[]; clusters: ClusterTruth[] }> {
	let t = start.getTime();
	const incidents: IncidentInput[] = [];
	const clusters: ClusterTruth[] = [];
	const sim = startLiveSimulator({
		pipeline: {
			submitIncidents: async (xs) => (incidents.push(...xs), { accepted: xs.length, duplicates: 0 }),
			submitEvents: async (xs) => ({ accepted: xs.length, duplicates: 0 })
		},
		city,
		seed: 7,
		lively,
		speed: 1,
		clusters: true,
		now: () => new Date(t),
		tickMs: 3_600_000,
		onClusters: (c) => clusters.push(...c)
	});
	for (let s = 0; s < minutes * 6; s++) {
		t += 10_000;
		await sim.tick();
	}
	await sim.stop();
	return { incidents, clusters };
}

describe('lively demo', () => {
	// 03:00 in Barnaul: the real rate is about one incident in ten hours.
	const night = new Date('2026-01-14T20:00:00Z');

	it('sends an incident every 20–60 s and a whole cluster within 15 minutes, at night', async () => {
		const { incidents, clusters } = await runFor(true, 20, night);
		const background = incidents.filter((x) => !clusters.some((c) => c.incident_ids.includes(x.id)));
		const times = background.map((x) => Date.parse(x.created_at)).sort((a, b) => a - b);
		const gaps = times.slice(1).map((t, i) => t - times[i]!);
		expect(gaps.length).toBeGreaterThan(15);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20_000);
		expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
		expect(clusters.length).toBeGreaterThanOrEqual(1);
		const first = clusters[0]!;
		expect(Date.parse(first.end) - night.getTime()).toBeLessThanOrEqual(15 * 60_000);
		const sent = new Set(incidents.map((x) => x.id));
		expect(first.incident_ids.every((id) => sent.has(id))).toBe(true);
	});

	it('keeps the real rate when not lively', async () => {
		const { incidents } = await runFor(false, 20, night);
		expect(incidents.length).toBeLessThan(5);
	});
});
