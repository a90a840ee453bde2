/**
 * Worker-thread side of `detect-off-thread.ts`: keeps the baseline it was last sent and runs one detection
 * pass (run-detection.ts) per request, in order.
 */
import { parentPort } from 'node:worker_threads';
import { threadData } from '../../threads/start.ts';
import { hourlyOffsetMinutes } from '../time.ts';
import { Baseline } from './baseline.ts';
import { detectHotspots } from './run-detection.ts';
import type { DetectReply, DetectRequest } from './detect-off-thread.ts';

const offsetMin = hourlyOffsetMinutes(threadData<{ tz: string }>().tz);
let baseline: { version: number; value: Baseline } | null = null;

parentPort!.on('message', (req: DetectRequest) => {
	try {
		if (req.baseline) baseline = { version: req.baselineVersion, value: new Baseline(req.baseline, req.params, offsetMin) };
		if (!baseline || baseline.version !== req.baselineVersion) throw new Error(`baseline ${req.baselineVersion} was never sent`);
		const detected = detectHotspots(req.now, req.recent, baseline.value, req.params, req.thresholds, req.districts);
		parentPort!.postMessage({ id: req.id, detected } satisfies DetectReply);
	} catch (e) {
		parentPort!.postMessage({ id: req.id, error: (e as Error).stack ?? String(e) } satisfies DetectReply);
	}
});
