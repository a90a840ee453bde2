/**
 * Several aggregator processes behind one load balancer share Socket.IO broadcasts through Redis streams
 * (`REDIS_URL`). The streams adapter, unlike the plain pub/sub Redis adapter, keeps a bounded log of every
 * broadcast and stores disconnected sessions in Redis, so connection state recovery works even when a
 * client reconnects to a different process than the one it lost.
 */
import { createClient } from 'redis';
import { createAdapter } from '@socket.io/redis-streams-adapter';

/** The part of a Redis client that duplicate claims use. */
export interface SetNxClient {
	set(key: string, value: string, opts: { NX: true; EX: number }): Promise<unknown>;
}

export interface RedisAdapter {
	/** The adapter factory handed to `new Server({ adapter })`. */
	adapter: ReturnType<typeof createAdapter>;
	/** The connection, for other shared state (duplicate claims). */
	client: SetNxClient;
	/** Closes the publishing connection; the adapter's own readers stop when the namespace closes. */
	close(): Promise<void>;
}

/** Two minutes of broadcasts at a busy hour fit well within this (a wall reconnecting replays from here). */
const STREAM_MAX_LEN = 50_000;

export async function connectRedisAdapter(url: string, log: (msg: string) => void = () => undefined): Promise<RedisAdapter> {
	const client = createClient({
		url,
		// Keep trying while Redis restarts; broadcasts to other processes pause meanwhile, local ones go on.
		socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5000) }
	});
	let reported = false;
	client.on('error', (e: Error) => {
		if (!reported) log(`redis: ${e.message}`);
		reported = true;
	});
	client.on('ready', () => (reported = false));
	await client.connect();
	return {
		client,
		adapter: createAdapter(client, {
			streamName: 'mcu:live',
			sessionKeyPrefix: 'mcu:live:session:',
			maxLen: STREAM_MAX_LEN,
			// Every payload is plain JSON: skip the binary scan on each broadcast.
			onlyPlaintext: true
		}),
		close: async () => {
			if (client.isOpen) await client.close().catch(() => client.destroy());
		}
	};
}
