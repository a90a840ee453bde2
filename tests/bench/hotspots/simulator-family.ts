/**
 * The product simulator's own clusters, kept as one family among the independent ones: its background
 * (`generateHistory`) and its clusters (`makeCluster`, one category at neighbouring houses of one street,
 * 500 m, 3 h), replayed one at a time over the simulator's control span. Only this file touches
 * server/simulate; the generator of the other families does not.
 */
import { latLngToCell } from 'h3-js';
import type { IncidentInput } from '../../../src/lib/contract/incident.ts';
import type { CityPack } from '../../../server/city/pack.ts';
import { IncidentFactory } from '../../../server/simulate/generator.ts';
import { generateHistory } from '../../../server/simulate/history.ts';
import type { ClusterSpec } from '../../../server/simulate/clusters.ts';
import type { FamilyData } from './evaluate.ts';
import type { Injection, Post } from './scenario.ts';
import { Random } from './random.ts';

function toPost(i: IncidentInput): Post {
	const located = i.lat !== undefined && i.lon !== undefined;
	return {
		id: i.id,
		cell: located ? latLngToCell(i.lat!, i.lon!, 9) : '',
		category: i.category,
		address: i.address ?? '',
		district: i.district ?? 'unknown',
		createdAt: Date.parse(i.created_at),
		lat: i.lat ?? 0,
		lon: i.lon ?? 0,
		text: i.text ?? '',
		url: i.url ?? ''
	};
}

export function simulatorFamily(city: CityPack, historyFrom: number, evalFrom: number, evalTo: number, count: number, seed: number): FamilyData {
	const factory = new IncidentFactory(city);
	const span = { city, seed, start: new Date(historyFrom), end: new Date(evalTo), factory };
	const background = generateHistory(span).incidents.map(toPost).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
	const rng = new Random(seed + 1);
	const inEval = background.filter((b) => b.createdAt >= evalFrom && b.createdAt < evalTo - 6 * 3_600_000);
	const specs: ClusterSpec[] = Array.from({ length: count }, (_, k) => ({
		size: k % 2 === 0 ? 5 : 8,
		radiusM: 500,
		durationH: 3,
		start: new Date(inEval[rng.int(inEval.length)]!.createdAt)
	}));
	const withClusters = generateHistory({ ...span, clusters: specs });
	const byId = new Map(withClusters.incidents.map((i) => [i.id, toPost(i)]));
	const injections: Injection[] = withClusters.clusters.map((c) => {
		const posts = c.incident_ids.map((id) => byId.get(id)!).sort((a, b) => a.createdAt - b.createdAt);
		return { shape: 'street', category: c.category, district: posts[0]!.district, posts, start: posts[0]!.createdAt, end: posts[posts.length - 1]!.createdAt };
	});
	return { background, evalFrom, evalTo, historyDays: (evalFrom - historyFrom) / 86_400_000, injections, districts: city.districts.map((d) => d.code) };
}
