/** Valid incidents for tests, placed at known points of Barnaul. */
import type { IncidentInput } from '../../src/lib/contract/incident.ts';

/** A point well inside each district's (schematic) polygon: the district centres from the facts file. */
export const DISTRICT_POINTS: Record<string, { lat: number; lon: number }> = {
	industrialny: { lat: 53.3444, lon: 83.6667 },
	leninsky: { lat: 53.375, lon: 83.6917 },
	zheleznodorozhny: { lat: 53.3533, lon: 83.7431 },
	oktyabrsky: { lat: 53.3694, lon: 83.7667 },
	central: { lat: 53.3222, lon: 83.7783 }
};

let seq = 0;

export function incident(overrides: Partial<IncidentInput> = {}): IncidentInput {
	seq += 1;
	return {
		id: `test-${process.pid}-${Date.now().toString(36)}-${seq}`,
		source: 'vk',
		created_at: new Date(Date.now() - 60_000).toISOString(),
		category: 'heating',
		district: 'industrialny',
		address: 'ул. Попова, 104',
		text: 'Третий день нет отопления в доме',
		...overrides
	};
}
