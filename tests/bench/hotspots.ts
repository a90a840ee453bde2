/**
 * Hotspot detection scored on data it was not tuned on. Scenario families from an independent generator
 * (tests/bench/hotspots/scenario.ts: its own randomness, rhythm, category mix, negative-binomial days,
 * clumped houses in the city pack's polygons, posts without coordinates, residents posting twice, repost
 * storms), plus the product simulator's own clusters as one family. Per family: thresholds calibrated
 * from its own history (as the product does), then the control span replayed (false-alarm episodes a
 * week, both kinds) and each injected burst replayed on its own (recall, minutes from the 5th post).
 * No constant changes between families. Writes the AMOC curve to docs/hotspots-amoc.svg.
 * Run: npm run bench -- hotspots
 */
import fs from 'node:fs';
import path from 'node:path';
import { HOTSPOT_PARAMS, type HotspotParams } from '../../server/analytics/hotspots/params.ts';
import { loadCityPack } from '../../server/city/pack.ts';
import { DailyBaselines } from '../analytics/support/replay.ts';
import { amocSvg, type AmocSeries } from './hotspots/amoc.ts';
import { calibrateFamily, controlReplay, injectionReplay, type FamilyData, type InjectionResult } from './hotspots/evaluate.ts';
import { Random } from './hotspots/random.ts';
import { background, buildWorld, inject, type BackgroundSpec, type Shape } from './hotspots/scenario.ts';
import { simulatorFamily } from './hotspots/simulator-family.ts';
import { percentile, printTable, round } from './lib/report.ts';

export const title = 'Hotspot detection on independent scenario families (recall, delay, false alarms, calibrated thresholds)';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const EVAL_FROM = Date.parse('2024-11-04T00:00:00+07:00'); // a Monday in the heating season
const CONTROL_WEEKS = 12;
const COLD_CONTROL_WEEKS = 2;
const HISTORY_DAYS = 63;
const PER_FAMILY = 60;
const AMOC_TAUS = [4, 6, 8, 10, 12, 14, 16, 18, 20, 24, 28, 32, 40];
const CITY_DIR = path.resolve(import.meta.dirname, '../../city/barnaul');

interface FamilySpec {
	name: string;
	shapes: Shape[];
	sizes: [number, number];
	historyDays?: number;
	bg?: Partial<BackgroundSpec>;
	housesPer100k?: number;
	/** Injections start within this many days of the evaluated span's start (cold starts: the first week). */
	injectWithinDays?: number;
}

const BG: BackgroundSpec = { perDay: 30, phi: 0.3, unlocated: 0.15, followUps: 0.05, stormsPerWeek: 2 };

const FAMILIES: FamilySpec[] = [
	{ name: 'overdispersed', shapes: ['street', 'building'], sizes: [5, 8], bg: { phi: 1 } },
	{ name: 'repost-storm', shapes: ['storm'], sizes: [6, 15], bg: { stormsPerWeek: 10 } },
	{ name: 'one-building', shapes: ['building'], sizes: [5, 8] },
	{ name: 'street', shapes: ['street'], sizes: [5, 8] },
	{ name: 'no-address', shapes: ['no-address'], sizes: [5, 8] },
	{ name: 'surge-district', shapes: ['district-surge'], sizes: [20, 30] },
	{ name: 'surge-city', shapes: ['city-surge'], sizes: [70, 90] },
	{ name: 'cold-3d', shapes: ['building', 'street', 'no-address'], sizes: [5, 8], historyDays: 3, injectWithinDays: 7 },
	{ name: 'cold-7d', shapes: ['building', 'street', 'no-address'], sizes: [5, 8], historyDays: 7, injectWithinDays: 7 },
	{ name: 'cold-28d', shapes: ['building', 'street', 'no-address'], sizes: [5, 8], historyDays: 28, injectWithinDays: 7 },
	{ name: 'city-10x', shapes: ['building', 'street', 'no-address'], sizes: [5, 8], bg: { perDay: 300, stormsPerWeek: 20 }, housesPer100k: 2000 }
];

function familyData(spec: FamilySpec, seed: number): FamilyData {
	const world = buildWorld(CITY_DIR, seed, spec.housesPer100k);
	const historyDays = spec.historyDays ?? HISTORY_DAYS;
	const weeks = spec.historyDays !== undefined && spec.historyDays < HISTORY_DAYS ? COLD_CONTROL_WEEKS : CONTROL_WEEKS;
	const evalTo = EVAL_FROM + weeks * 7 * DAY;
	const bg = background(world, EVAL_FROM - historyDays * DAY, evalTo, { ...BG, ...spec.bg }, seed + 1);
	const rng = new Random(seed + 2);
	const within = (spec.injectWithinDays ?? weeks * 7 - 1) * DAY;
	const injections = Array.from({ length: PER_FAMILY }, (_, k) => {
		// starts at the time of a random background post: bursts come when and where people write
		const inSpan = bg.filter((b) => b.createdAt >= EVAL_FROM && b.createdAt < EVAL_FROM + within);
		const t0 = inSpan[rng.int(inSpan.length)]!.createdAt;
		const size = spec.sizes[0] + rng.int(spec.sizes[1] - spec.sizes[0] + 1);
		return inject(world, spec.shapes[k % spec.shapes.length]!, t0, size, rng);
	});
	return { background: bg, evalFrom: EVAL_FROM, evalTo, historyDays, injections, districts: world.districts };
}

const r1 = (x: number | null) => (x === null ? null : round(x, 1));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

async function evaluate(name: string, d: FamilyData, p: HotspotParams, storms: boolean) {
	const t0 = Date.now();
	const surges = d.injections.some((i) => i.shape.endsWith('surge'));
	const baselines = new DailyBaselines(d.background, p);
	const cal = await calibrateFamily(d, baselines, p);
	const thr = { local: cal.local, surge: cal.surge };
	const control = controlReplay(d, baselines, p, thr, AMOC_TAUS[0]!);
	const results: InjectionResult[] = d.injections.map((inj) => injectionReplay(d, baselines, p, thr, inj, AMOC_TAUS[0]!));
	const hit = results.filter((r) => r.detected);
	const delays = sorted(hit.map((r) => r.fromFifthMin!));
	const row = {
		family: name,
		injected: results.length,
		recall: storms ? null : round(hit.length / results.length, 3),
		right_kind: storms ? null : round(results.filter((r) => r.rightKind).length / results.length, 3),
		within_60min_of_5th: storms ? null : round(results.filter((r) => r.fromFifthMin !== null && r.fromFifthMin <= 60).length / results.length, 3),
		median_min_from_5th: r1(percentile(delays, 0.5)),
		p90_min_from_5th: r1(percentile(delays, 0.9)),
		storms_flagged: storms ? round(hit.length / results.length, 3) : null,
		surge_within_60min_of_5th: surges ? round(results.filter((r) => r.surgeFromFifthMin !== null && r.surgeFromFifthMin <= 60).length / results.length, 3) : null,
		surges_per_injection: surges ? round(results.reduce((a, r) => a + r.surgeIds, 0) / results.length, 2) : null,
		locals_per_injection: round(results.reduce((a, r) => a + r.localIds, 0) / results.length, 2),
		fa_episodes_per_week: round(control.episodes / control.weeks, 2),
		fa_local_per_week: round(control.localEpisodes / control.weeks, 2),
		fa_surge_per_week: round(control.surgeEpisodes / control.weeks, 2),
		control_weeks: round(control.weeks, 1),
		history_days: d.historyDays,
		tau_local: cal.local,
		tau_surge: cal.surge,
		extrapolated: cal.choice.local.extrapolated || cal.choice.surge.extrapolated,
		seconds: round((Date.now() - t0) / 1000, 1)
	};
	// AMOC: at each τ, the control's local episodes a week and the median delay from the 5th post
	const delayAt = (tau: number) => {
		const ds = results.map((r) => {
			const cross = r.trace.find((x) => x.score >= tau);
			return cross ? (cross.t - r.fifth) / 60_000 : null;
		});
		const found = sorted(ds.filter((x): x is number => x !== null));
		// below half found the median delay is undefined: the curve stops there
		return found.length * 2 >= ds.length ? percentile(found, 0.5) : null;
	};
	const amoc: AmocSeries = {
		name,
		points: AMOC_TAUS.map((tau) => ({ tau, faPerWeek: control.localRate(tau), delayMin: delayAt(tau) })),
		chosen: { tau: cal.local, faPerWeek: control.localEpisodes / control.weeks, delayMin: percentile(delays, 0.5) }
	};
	return { row, amoc };
}

export async function run(): Promise<Record<string, unknown>> {
	const t0 = Date.now();
	const p = HOTSPOT_PARAMS;
	const rows: Record<string, unknown>[] = [];
	const series: AmocSeries[] = [];
	let seed = 7_001;
	for (const spec of FAMILIES) {
		const d = familyData(spec, (seed += 97));
		const { row, amoc } = await evaluate(spec.name, d, p, spec.shapes[0] === 'storm');
		rows.push(row);
		if (spec.shapes[0] !== 'storm' && !spec.shapes[0]!.endsWith('surge')) series.push(amoc);
		console.log(`  ${spec.name}: ${JSON.stringify(row)}`);
	}
	const city = loadCityPack(CITY_DIR, 'Asia/Barnaul');
	const sim = simulatorFamily(city, EVAL_FROM - HISTORY_DAYS * DAY, EVAL_FROM, EVAL_FROM + CONTROL_WEEKS * 7 * DAY, PER_FAMILY, 9_001);
	const s = await evaluate('simulator', sim, p, false);
	rows.push(s.row);
	series.push(s.amoc);
	printTable('Hotspot families (thresholds calibrated per family from its own history, one rule for all)', rows);
	const out = path.resolve(import.meta.dirname, '../../docs/hotspots-amoc.svg');
	fs.mkdirSync(path.dirname(out), { recursive: true });
	fs.writeFileSync(out, amocSvg(series, 'AMOC: local hotspots, τ from 4 to 40 (EBP LLR); no false alarm is drawn at 0.01'));
	const local = rows.filter((r) => r['recall'] !== null && !String(r['family']).startsWith('surge'));
	return {
		families: rows,
		amoc: series.map((x) => ({ name: x.name, chosen: x.chosen, points: x.points.map((q) => ({ tau: q.tau, fa: round(q.faPerWeek, 3), delay: r1(q.delayMin) })) })),
		summary: {
			min_local_recall_within_60min: Math.min(...local.map((r) => r['within_60min_of_5th'] as number)),
			max_fa_episodes_per_week: Math.max(...rows.map((r) => r['fa_episodes_per_week'] as number)),
			budget_per_week: p.falseAlarmsPerWeek,
			injections_per_family: PER_FAMILY
		},
		amoc_svg: path.relative(process.cwd(), out),
		seconds: round((Date.now() - t0) / 1000, 1)
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const only = process.argv[2];
	if (only) FAMILIES.splice(0, FAMILIES.length, ...FAMILIES.filter((f) => f.name === only));
	const r = await run();
	console.log(JSON.stringify({ bench: 'hotspots', ...r }));
}
