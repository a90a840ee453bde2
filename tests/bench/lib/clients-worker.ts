/**
 * A child process holding N live clients of `/live`, so receiving never shares an event loop with the
 * poster or the server. Each client speaks the Socket.IO v5 / Engine.IO v4 wire protocol over a plain
 * websocket — the frames a browser's socket.io-client exchanges (open, namespace CONNECT with the token,
 * pings answered, events) — without decoding every event: with 1 000 clients at 200 incidents/s the
 * clients must not take the server's CPU on a 2-core machine. Every client counts its `incident` frames;
 * a sample of up to 100 clients also reads each frame's id and notes when it arrived on the system-wide
 * monotonic clock (`process.hrtime`, the same clock in every process).
 *
 * Protocol (IPC): worker → `{ type: 'ready', connectMs }`; parent → `{ type: 'collect', acks: [{ id,
 * sentMs, answeredMs }] }`; worker → `{ type: 'result', … }`, then it exits.
 */
import WebSocket from 'ws';
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

const NSP = '/live';
const INCIDENT = Buffer.from(`42${NSP},["incident",`);
const SNAPSHOT = Buffer.from(`42${NSP},["snapshot",`);
const CONNECT_OK = Buffer.from(`40${NSP},`);
const CONNECT_ERR = Buffer.from(`44${NSP},`);
const ID_KEY = Buffer.from('"id":"');
const SAMPLE_EVERY = Math.max(1, Math.ceil(args.clients / 100));

/** incident id → receipt times (ms) at the sampled clients. */
const receipts = new Map<string, number[]>();
let frames = 0;
let sampled = 0;
let closedEarly = 0;
let collecting = false;
const sockets: WebSocket[] = [];

const startsWith = (data: Buffer, prefix: Buffer) => data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

function record(data: Buffer): void {
	const t = nowMs();
	const at = data.indexOf(ID_KEY, INCIDENT.length);
	if (at < 0) return;
	const start = at + ID_KEY.length;
	const id = data.toString('latin1', start, data.indexOf(0x22, start));
	let list = receipts.get(id);
	if (!list) receipts.set(id, (list = []));
	list.push(t);
}

/** Resolves once the client is in the namespace and has its first snapshot. */
function connect(index: number): Promise<void> {
	const isSampled = index % SAMPLE_EVERY === 0;
	if (isSampled) sampled++;
	const ws = new WebSocket(`${args.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
	sockets.push(ws);
	return new Promise((resolve, reject) => {
		ws.on('message', (raw: Buffer) => {
			const data = raw;
			const kind = data[0];
			if (kind === 0x32 && data.length === 1) return ws.send('3'); // ping → pong
			if (kind === 0x30) return ws.send(`40${NSP},${JSON.stringify({ token: args.token })}`); // open → CONNECT
			if (startsWith(data, INCIDENT)) {
				frames++;
				if (isSampled) record(data);
				return;
			}
			if (startsWith(data, SNAPSHOT)) return resolve();
			if (startsWith(data, CONNECT_ERR)) return reject(new Error(`connect refused: ${data.toString()}`));
			if (startsWith(data, CONNECT_OK)) return;
		});
		ws.on('close', () => {
			if (!collecting) closedEarly++;
			reject(new Error('closed before its snapshot'));
		});
		ws.on('error', reject);
	});
}

async function main(): Promise<void> {
	const t0 = nowMs();
	const deadline = t0 + args.connectTimeoutMs;
	let ready = 0;
	for (let i = 0; i < args.clients; i += args.wave) {
		const wave: Promise<void>[] = [];
		for (let j = i; j < Math.min(args.clients, i + args.wave); j++) wave.push(connect(j).then(() => void ready++));
		const left = Math.max(0, deadline - nowMs());
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([
			Promise.all(wave),
			new Promise((_, rej) => (timer = setTimeout(() => rej(new Error(`clients not ready in ${args.connectTimeoutMs} ms (${ready}/${args.clients})`)), left)))
		]).finally(() => clearTimeout(timer));
	}
	send({ type: 'ready', connectMs: Math.round(nowMs() - t0) });

	process.on('message', (msg: { type: string; acks?: Ack[] }) => {
		if (msg.type !== 'collect') return;
		collecting = true;
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
			sampledClients: sampled,
			expected: acks.length * sockets.length,
			received: frames,
			sampledPairs: fromAck.length,
			sampledExpected: acks.length * sampled,
			disconnects: closedEarly,
			fromAckMs: distribution(fromAck, 1),
			fromSendMs: distribution(fromSend, 1),
			beforeAck: fromAck.filter((x) => x < 0).length
		};
		for (const s of sockets) s.terminate();
		send(result);
		setTimeout(() => process.exit(0), 100);
	});
}

main().catch((e: unknown) => {
	send({ type: 'error', message: (e as Error).message });
	for (const s of sockets) s.terminate();
	setTimeout(() => process.exit(1), 100);
});
// Never outlive the parent.
process.on('disconnect', () => process.exit(0));
