/**
 * The floor of the latency benchmark: a bare HTTP + Socket.IO server with nothing behind it. A POST of an
 * incident is parsed, broadcast as `incident` to every `/live` client and answered 202; a client gets an
 * empty `snapshot` on connect. Same Socket.IO settings as the product (no compression, same namespace),
 * run as its own process like the product, so post → screen against it is what the machine, Node, HTTP
 * and Socket.IO cost by themselves. Prints `running at http://127.0.0.1:PORT` once it listens.
 */
import http from 'node:http';
import { Server } from 'socket.io';

const server = http.createServer();
const io = new Server(server, { perMessageDeflate: false, pingInterval: 5000, pingTimeout: 5000, serveClient: false });
const nsp = io.of('/live');
nsp.on('connection', (socket) => {
	void socket.join('scope:city');
	socket.emit('snapshot', { feed: [] });
});

server.on('request', (req, res) => {
	if (req.method !== 'POST' || !req.url?.startsWith('/api/v1/incidents')) {
		if (req.url?.startsWith('/socket.io')) return;
		res.writeHead(404).end();
		return;
	}
	const chunks: Buffer[] = [];
	req.on('data', (c: Buffer) => chunks.push(c));
	req.on('end', () => {
		let item: unknown;
		try {
			item = JSON.parse(Buffer.concat(chunks).toString('utf8'));
		} catch {
			res.writeHead(400).end();
			return;
		}
		nsp.to('scope:city').emit('incident', item as never);
		res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1,"duplicates":0}');
	});
});

server.listen(0, '127.0.0.1', () => {
	const addr = server.address();
	console.log(`running at http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`);
});
process.on('SIGTERM', () => {
	io.close();
	server.close(() => process.exit(0));
});
