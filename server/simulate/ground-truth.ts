/** The injected clusters, written down for the hotspot detection benchmark: `$MCU_DATA_DIR/simulator/clusters.json`. */
import fs from 'node:fs';
import path from 'node:path';
import type { ClusterTruth } from './clusters.ts';

export interface GroundTruthFile {
	seed: number;
	/** The simulated period the clusters were injected into (the live stream extends it). */
	start: string;
	end: string;
	clusters: ClusterTruth[];
}

export function groundTruthPath(dataDir: string): string {
	return path.join(dataDir, 'simulator', 'clusters.json');
}

export function readGroundTruth(dataDir: string): GroundTruthFile | null {
	try {
		return JSON.parse(fs.readFileSync(groundTruthPath(dataDir), 'utf8')) as GroundTruthFile;
	} catch {
		return null;
	}
}

/** Writes the file atomically (temp file + rename), so a reader never sees half of it. */
export function writeGroundTruth(dataDir: string, truth: GroundTruthFile): void {
	const file = groundTruthPath(dataDir);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	fs.writeFileSync(tmp, JSON.stringify(truth, null, 1) + '\n');
	fs.renameSync(tmp, file);
}

/** Adds clusters injected by the live stream. */
export function appendGroundTruth(dataDir: string, seed: number, clusters: ClusterTruth[], now: Date): void {
	const cur = readGroundTruth(dataDir) ?? { seed, start: now.toISOString(), end: now.toISOString(), clusters: [] };
	cur.clusters.push(...clusters);
	cur.end = now.toISOString();
	writeGroundTruth(dataDir, cur);
}
