/** A private `redis-server` for a test: a free loopback port, a temporary dir, no persistence. */
import { spawn } from 'node:child_process';
import { tempDir } from '../helpers/app.ts';
import { freePort } from '../helpers/net.ts';

export interface RedisProcess {
	url: string;
	stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisProcess> {
	const dir = tempDir('mcu-redis-');
	const port = await freePort();
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 15_000);
		child.once('error', (e) => reject(new Error(`redis-server could not run (install the Debian package redis-server): ${e.message}`)));
		child.stdout!.on('data', () => {
			if (/Ready to accept connections/.test(out)) {
				clearTimeout(timer);
				resolve();
			}
		});
		void exited.then(() => reject(new Error(`redis-server exited:\n${out}`)));
	});
	return {
		url: `redis://127.0.0.1:${port}`,
		stop: async () => {
			child.kill('SIGTERM');
			await exited;
		}
	};
}
