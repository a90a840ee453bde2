/**
 * The spool's disk really full: the spool directory is a 64 KiB tmpfs (mounted here; the tests run as root,
 * as CI does), so appends fail with ENOSPC. Where mounting is not permitted the same scenario runs against
 * the spool's byte limit instead, and says so.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApp, tempDir, type StartedApp } from '../helpers/app.ts';
import { spoolFullScenario } from './spool-full.ts';

let app: StartedApp | null = null;
let mounted: string | null = null;
afterAll(async () => {
	await app?.stop();
	if (mounted) execFileSync('umount', ['-l', mounted]);
});

function mountTinyDisk(dir: string): boolean {
	fs.mkdirSync(dir, { recursive: true });
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
		return true;
	} catch (e) {
		console.warn(`cannot mount a tmpfs (${(e as Error).message.split('\n')[0]}): using the spool byte limit instead`);
		return false;
	}
}

describe('spool full (disk)', () => {
	it('answers 503 when the spool disk is full, and recovers once the store returns', async () => {
		const dataDir = tempDir();
		const spoolDir = path.join(dataDir, 'spool');
		const env: Record<string, string> = { MCU_REPORTS: '0', MCU_INGEST_RATE_PER_MIN: '100000' };
		if (mountTinyDisk(spoolDir)) mounted = spoolDir;
		else env.MCU_SPOOL_MAX_BYTES = String(64 * 1024);
		app = await startApp({ dataDir, pages: false, env });
		const r = await spoolFullScenario(app, { maxRequests: 200 });
		expect(r.acked).toBeGreaterThan(0);
		if (mounted) {
			// The spool emptied its file after the replay: the disk has room again.
			expect(fs.statSync(path.join(spoolDir, 'spool.log')).size).toBe(0);
		}
	});
});
