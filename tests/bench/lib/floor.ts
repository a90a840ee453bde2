/** Starts `floor-server.ts` (the bare HTTP + Socket.IO floor) as its own process. */
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface FloorServer {
	url: string;
	stop(): Promise<void>;
}

export async function startFloorServer(): Promise<FloorServer> {
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'floor-server.ts')], { stdio: ['ignore', 'pipe', 'inherit'] });
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => reject(new Error(`floor server did not start: ${out}`)), 30_000);
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			const m = /running at (http:\/\/[^\s]+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(m[1]!);
			}
		});
		void exited.then(() => reject(new Error(`floor server exited: ${out}`)));
	});
	return {
		url,
		stop: async () => {
			child.kill('SIGTERM');
			const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exited;
			clearTimeout(forced);
		}
	};
}
