/**
 * The calibration replays weeks of history at every arrival: seconds of CPU on a large city or a young
 * store. Run on the server's event loop it would delay every answer and push behind it, so the server runs
 * it in a worker thread of its own; the main thread only reads the history and waits for the thresholds.
 */
import { startThread } from '../../threads/start.ts';
import type { BaselineInput } from './baseline.ts';
import type { Calibration } from './calibrate.ts';
import type { RecentIncident } from './detect.ts';
import type { HotspotParams } from './params.ts';

/** Everything a calibration needs, as plain data (it crosses to the worker by structured clone). */
export interface OffThreadInput {
	events: readonly RecentIncident[];
	baseline: BaselineInput;
	params: HotspotParams;
	districts: readonly string[];
	historyDays: number;
	to: number;
	/** The city's zone, for local months and hours. */
	tz: string;
	maxReplayWork?: number;
}

type Reply = { ok: true; result: Calibration } | { ok: false; message: string };

export function calibrateOffThread(input: OffThreadInput): Promise<Calibration> {
	return new Promise((resolve, reject) => {
		// the replay is CPU, not memory: a bound keeps a runaway history from growing the process
		const worker = startThread(new URL('./calibrate-worker.ts', import.meta.url), input, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
		// a calibration in flight never keeps a closing process alive
		worker.unref();
		let settled = false;
		worker.once('message', (reply: Reply) => {
			settled = true;
			if (reply.ok) resolve(reply.result);
			else reject(new Error(`hotspot calibration failed: ${reply.message}`));
			void worker.terminate();
		});
		worker.once('error', (e) => {
			settled = true;
			reject(new Error(`hotspot calibration failed: ${e.stack ?? e.message}`));
		});
		worker.once('exit', (code) => {
			if (!settled) reject(new Error(`hotspot calibration worker exited (${code}) without a result`));
		});
	});
}
