/**
 * Socket.IO namespace `/live`: token in the handshake, one scope room per socket, a snapshot on connect
 * and on every `subscribe`, connection state recovery so a short disconnect replays what was missed.
 */
import type { Server as HttpServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { LIVE_NAMESPACE, SubscribePayloadSchema, type ClientToServerEvents, type ServerToClientEvents, type SocketData, type InterServerEvents } from '../../src/lib/contract/events.ts';
import { canRead, resolveScope, type Principal, type Scope } from '../../src/lib/contract/roles.ts';
import { cookieToken } from '../auth/tokens.ts';
import type { Snapshot } from '../../src/lib/contract/snapshot.ts';
import { SocketPublisher, roomOf, type LiveNamespace } from './publisher.ts';

export interface LiveServerDeps {
	authenticate(token: string | null): Principal | null;
	snapshot(scope: Scope): Promise<Snapshot>;
	districtCodes: ReadonlySet<string>;
	version: string;
	onSocketCount?: (scope: string, delta: number) => void;
	log?: (msg: string) => void;
	/** Shares broadcasts and recovery sessions with other processes (the Redis streams adapter); default: in-memory. */
	adapter?: ServerOptions['adapter'];
}

export interface LiveServer {
	io: Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
	nsp: LiveNamespace;
	publisher: SocketPublisher;
	close(): Promise<void>;
}

export function createLiveServer(httpServer: HttpServer | null, deps: LiveServerDeps): LiveServer {
	const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(httpServer ?? undefined, {
		// Without compression engine.io encodes a broadcast once for all clients.
		perMessageDeflate: false,
		// Heartbeats every 5 s: a quiet city must not look like a lost link (walls show «нет связи» after 15 s).
		pingInterval: 5000,
		pingTimeout: 5000,
		maxHttpBufferSize: 16 * 1024,
		serveClient: false,
		...(deps.adapter ? { adapter: deps.adapter } : {}),
		connectionStateRecovery: { maxDisconnectionDuration: 2 * 60 * 1000, skipMiddlewares: false }
	});
	const nsp: LiveNamespace = io.of(LIVE_NAMESPACE);

	nsp.use((socket, next) => {
		const raw = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
		// Pages carry no token of their own: their handshake brings the HttpOnly page cookie, honoured only
		// from a page of this very origin (another site's script must not open a socket with it).
		const token = typeof raw === 'string' ? raw : sameOrigin(socket.handshake.headers) ? cookieToken(socket.handshake.headers.cookie) : null;
		const principal = deps.authenticate(token);
		if (!principal) return next(new Error('unauthorized'));
		if (!canRead(principal)) return next(new Error('forbidden'));
		// A recovered socket keeps its earlier scope; a district token is pinned to its own anyway.
		const earlier = socket.data?.scope;
		const scope = earlier ? resolveScope(principal, earlier.district) : resolveScope(principal, null);
		socket.data = { principal, scope: scope === 'forbidden' ? { district: principal.district } : scope };
		next();
	});

	nsp.on('connection', (socket) => {
		const room = roomOf(socket.data.scope);
		deps.onSocketCount?.(room, 1);
		socket.on('disconnect', () => deps.onSocketCount?.(roomOf(socket.data.scope), -1));
		socket.emit('server:version', { version: deps.version });
		if (!socket.recovered) {
			void socket.join(room);
			void sendSnapshot(socket.data.scope);
		}

		socket.on('subscribe', async (payload, ack) => {
			const reply = typeof ack === 'function' ? ack : () => undefined;
			const parsed = SubscribePayloadSchema.safeParse(payload);
			if (!parsed.success) return reply({ error: 'invalid' });
			const district = parsed.data.district;
			if (district !== null && !deps.districtCodes.has(district)) return reply({ error: 'unknown_district' });
			const principal = socket.data.principal;
			// A district socket stays in its own district: asking for the city or another district is refused.
			if (principal.district !== null && district !== principal.district) return reply({ error: 'forbidden' });
			const scope = resolveScope(principal, district);
			if (scope === 'forbidden') return reply({ error: 'forbidden' });
			const from = roomOf(socket.data.scope);
			const to = roomOf(scope);
			if (from !== to) {
				await socket.leave(from);
				await socket.join(to);
				deps.onSocketCount?.(from, -1);
				deps.onSocketCount?.(to, 1);
			}
			socket.data.scope = scope;
			reply({ ok: true });
			await sendSnapshot(scope);
		});

		async function sendSnapshot(scope: Scope): Promise<void> {
			try {
				const snap = await deps.snapshot(scope);
				// The socket may have moved on while the snapshot was computed.
				if (roomOf(socket.data.scope) === roomOf(scope) && socket.connected) socket.emit('snapshot', snap);
			} catch (e) {
				deps.log?.(`snapshot failed: ${(e as Error).message}`);
			}
		}
	});

	return {
		io,
		nsp,
		publisher: new SocketPublisher(nsp),
		close: () => new Promise<void>((resolve) => io.close(() => resolve()))
	};
}

/** True when the handshake comes from a page served by this host (Origin matches Host). */
function sameOrigin(headers: IncomingHttpHeaders): boolean {
	const origin = headers.origin;
	const host = headers.host;
	if (!origin || !host) return false;
	try {
		return new URL(origin).host === host;
	} catch {
		return false;
	}
}
