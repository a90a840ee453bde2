/** A real webhook receiver that checks `X-MCU-Signature`, and a real SMTP server (smtp-server + mailparser). */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';

export interface WebhookReceiver {
	url: string;
	received: { body: any; raw: string; signatureOk: boolean }[];
	/** Answer with this status instead of 200 (an outage). */
	setStatus(status: number): void;
	close(): Promise<void>;
}

export async function startWebhookReceiver(secret: string): Promise<WebhookReceiver> {
	const received: WebhookReceiver['received'] = [];
	let status = 200;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const expected = `sha256=${crypto.createHmac('sha256', secret).update(raw).digest('hex')}`;
			const got = String(req.headers['x-mcu-signature'] ?? '');
			const signatureOk = got.length === expected.length && crypto.timingSafeEqual(Buffer.from(got), Buffer.from(expected));
			if (status === 200) received.push({ body: JSON.parse(raw), raw, signatureOk });
			res.writeHead(signatureOk ? status : 401).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		received,
		setStatus: (s) => (status = s),
		close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve())))
	};
}

export interface SmtpReceiver {
	url: string;
	mails: ParsedMail[];
	close(): Promise<void>;
}

export async function startSmtp(): Promise<SmtpReceiver> {
	const mails: ParsedMail[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS'],
		logger: false,
		onData(stream, _session, callback) {
			simpleParser(stream).then(
				(mail) => {
					mails.push(mail);
					callback();
				},
				(e: Error) => callback(e)
			);
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.server.address() as AddressInfo).port;
	return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
