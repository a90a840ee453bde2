/**
 * Worker-thread side of `calibrate-off-thread.ts`: rebuilds the baseline from its aggregates, replays the
 * history (calibrate.ts) and posts the result back. Runs once per calibration and exits.
 */
import { parentPort } from 'node:worker_threads';
import { threadData } from '../../threads/start.ts';
import { hourlyOffsetMinutes } from '../time.ts';
import { Baseline } from './baseline.ts';
import { calibrate } from './calibrate.ts';
import type { OffThreadInput } from './calibrate-off-thread.ts';

const input = threadData<OffThreadInput>();
const offsetMin = hourlyOffsetMinutes(input.tz);
const baseline = new Baseline(input.baseline, input.params, offsetMin);
calibrate(
	{ events: input.events, baseline, districts: input.districts, historyDays: input.historyDays, to: input.to, maxReplayWork: input.maxReplayWork, offsetMs: (ms) => offsetMin(ms) * 60_000 },
	input.params
).then(
	(result) => parentPort!.postMessage({ ok: true, result }),
	(e: unknown) => parentPort!.postMessage({ ok: false, message: (e as Error).stack ?? String(e) })
);
