/** Real socket.io-client connections to `/live` for tests. */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/contract/events.ts';

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectLive(url: string, token: string | null): LiveSocket {
	return io(`${url}/live`, {
		auth: token === null ? {} : { token },
		transports: ['websocket'],
		reconnection: true,
		reconnectionDelay: 100,
		reconnectionDelayMax: 500,
		forceNew: true
	});
}

/** Resolves on `connect`, rejects with the server's connect error message. */
export function connected(socket: LiveSocket): Promise<void> {
	return new Promise((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', (e) => reject(e));
	});
}

export function nextEvent<E extends keyof ServerToClientEvents>(socket: LiveSocket, event: E, timeoutMs = 10_000): Promise<Parameters<ServerToClientEvents[E]>[0]> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ${String(event)} within ${timeoutMs} ms`)), timeoutMs);
		(socket as unknown as { once(e: string, f: (x: unknown) => void): void }).once(event as string, (payload: unknown) => {
			clearTimeout(timer);
			resolve(payload as Parameters<ServerToClientEvents[E]>[0]);
		});
	});
}

/** Waits until `predicate` holds, checking every 20 ms. */
export async function until(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
	const start = Date.now();
	while (!predicate()) {
		if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}
