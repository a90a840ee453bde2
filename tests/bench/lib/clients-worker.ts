/**
 * A child process holding N real socket.io-client sockets on `/live` (the browser's client library), so
 * receiving does not share an event loop with the poster. It notes when each client receives each
 * `incident` on the system-wide monotonic clock (`process.hrtime`, the same clock in every process), and
 * when the parent sends the acknowledgement times, answers with the latency distribution.
 *
 * Protocol (IPC): parent → `{ type: 'collect', acks: [{ id, sentMs, answeredMs }] }`;
 * worker → `{ type: 'ready', ... }`, then `{ type: 'result', ... }`, then it exits.
 */
import { connectLive, type LiveSocket } from '../../helpers/live.ts';
import { distribution } from './report.ts';

interface Args {
	url: string;
	token: string;
	clients: number;
	/** Clients connecting at once; the server computes a snapshot for each. */
	wave: number;
	connectTimeoutMs: number;
}

interface Ack {
	id: string;
	sentMs: number;
	answeredMs: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const send = (msg: unknown) => process.send?.(msg);

/** incident id → receipt times (ms), one per client that got it. */
const receipts = new Map<string, number[]>();
let received = 0;
let snapshots = 0;
let disconnects = 0;
const sockets: LiveSocket[] = [];

function attach(socket: LiveSocket): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.on('incident', (view) => {
			const t = nowMs();
			received++;
			let list = receipts.get(view.id);
			if (!list) receipts.set(view.id, (list = []));
			list.push(t);
		});
		socket.on('disconnect', () => void disconnects++);
		socket.once('snapshot', () => {
			snapshots++;
			resolve();
		});
		socket.once('connect_error', (e) => reject(e));
	});
}

async function main(): Promise<void> {
	const t0 = nowMs();
	const deadline = t0 + args.connectTimeoutMs;
	for (let i = 0; i < args.clients; i += args.wave) {
		const wave: Promise<void>[] = [];
		for (let j = i; j < Math.min(args.clients, i + args.wave); j++) {
			const s = connectLive(args.url, args.token);
			sockets.push(s);
			wave.push(attach(s));
		}
		const left = deadline - nowMs();
		await Promise.race([Promise.all(wave), new Promise((_, rej) => setTimeout(() => rej(new Error(`clients not ready in ${args.connectTimeoutMs} ms (${snapshots}/${args.clients} snapshots)`)), Math.max(0, left)))]);
	}
	send({ type: 'ready', clients: sockets.length, connectMs: Math.round(nowMs() - t0) });

	process.on('message', (msg: { type: string; acks?: Ack[] }) => {
		if (msg.type !== 'collect') return;
		const acks = msg.acks ?? [];
		const fromAck: number[] = [];
		const fromSend: number[] = [];
		for (const a of acks) {
			for (const t of receipts.get(a.id) ?? []) {
				fromAck.push(t - a.answeredMs);
				fromSend.push(t - a.sentMs);
			}
		}
		// Signed on purpose: the server may write the socket frame before the HTTP answer leaves.
		const result = {
			type: 'result',
			clients: sockets.length,
			expected: acks.length * sockets.length,
			received: fromAck.length,
			receivedAll: received,
			disconnects,
			fromAckMs: distribution(fromAck, 1),
			fromSendMs: distribution(fromSend, 1),
			beforeAck: fromAck.filter((x) => x < 0).length
		};
		for (const s of sockets) s.close();
		send(result);
		setTimeout(() => process.exit(0), 100);
	});
}

main().catch((e: unknown) => {
	send({ type: 'error', message: (e as Error).message });
	for (const s of sockets) s.close();
	setTimeout(() => process.exit(1), 100);
});
// Never outlive the parent.
process.on('disconnect', () => process.exit(0));
