/** Parent side of `clients-worker.ts`: starts a process of N live clients and collects its figures. */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Distribution } from './report.ts';
import type { PacedAck } from './load.ts';

export interface ClientsResult {
	clients: number;
	/** Clients that also timed every frame (up to 100). */
	sampledClients: number;
	/** Acknowledged incidents × clients, and `incident` frames counted by all clients. */
	expected: number;
	received: number;
	/** (incident, sampled client) pairs timed, of those expected. */
	sampledPairs: number;
	sampledExpected: number;
	/** Clients whose connection closed during the run. */
	disconnects: number;
	fromAckMs: Distribution;
	fromSendMs: Distribution;
	beforeAck: number;
}

export interface ClientsProcess {
	connectMs: number;
	/** Hands over the acknowledgement times; resolves with the figures and the process gone. */
	collect(acks: readonly PacedAck[]): Promise<ClientsResult>;
	kill(): void;
}

type WorkerMessage = { type: 'ready'; connectMs: number } | ({ type: 'result' } & ClientsResult) | { type: 'error'; message: string };

export async function startClients(url: string, token: string, clients: number, opts: { wave?: number; connectTimeoutMs?: number } = {}): Promise<ClientsProcess> {
	const args = { url, token, clients, wave: opts.wave ?? 50, connectTimeoutMs: opts.connectTimeoutMs ?? 240_000 };
	const child: ChildProcess = fork(path.join(import.meta.dirname, 'clients-worker.ts'), [JSON.stringify(args)], {
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	const next = () =>
		new Promise<WorkerMessage>((resolve, reject) => {
			const onExit = (code: number | null) => reject(new Error(`clients process exited (${code})`));
			child.once('exit', onExit);
			child.once('message', (m) => {
				child.off('exit', onExit);
				resolve(m as WorkerMessage);
			});
		});
	const ready = await next();
	if (ready.type !== 'ready') {
		child.kill('SIGKILL');
		throw new Error(ready.type === 'error' ? ready.message : 'clients process misbehaved');
	}
	return {
		connectMs: ready.connectMs,
		collect: async (acks) => {
			const reply = next();
			child.send({ type: 'collect', acks: acks.map((a) => ({ id: a.id, sentMs: Number(a.sentAt) / 1e6, answeredMs: Number(a.answeredAt) / 1e6 })) });
			const r = await reply;
			if (r.type !== 'result') throw new Error(r.type === 'error' ? r.message : 'clients process misbehaved');
			await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
			const { type: _t, ...figures } = r;
			return figures;
		},
		kill: () => {
			if (child.exitCode === null) child.kill('SIGKILL');
		}
	};
}
