/**
 * The /live handshake of a page: no token in the page, so the HttpOnly page cookie authenticates it — from
 * a page of this origin only, so another site cannot open a socket with a visitor's cookie.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { startApp, type StartedApp } from '../helpers/app.ts';

let app: StartedApp;
beforeAll(async () => {
	app = await startApp({ pages: false });
});
afterAll(async () => {
	await app?.stop();
});

/** Connects with only a Cookie (and an Origin) header, as a browser page does; resolves with the outcome. */
function handshake(cookie: string | null, origin: string | null): Promise<{ ok: true; scope: unknown } | { ok: false; error: string }> {
	const headers: Record<string, string> = {};
	if (cookie) headers.cookie = cookie;
	if (origin) headers.origin = origin;
	const s = io(`${app.url}/live`, { transports: ['websocket'], extraHeaders: headers, reconnection: false, forceNew: true });
	return new Promise((resolve) => {
		s.once('snapshot', (snap) => {
			s.close();
			resolve({ ok: true, scope: snap.scope });
		});
		s.once('connect_error', (e) => {
			s.close();
			resolve({ ok: false, error: e.message });
		});
	});
}

describe('/live with the page cookie', () => {
	it('authenticates a page of this origin by its cookie, in the cookie token’s scope', async () => {
		const got = await handshake(`mcu_token=${encodeURIComponent(app.tokens.districts.central!)}`, app.url);
		expect(got).toEqual({ ok: true, scope: { district: 'central' } });
	});

	it('refuses the cookie from another origin, or without an origin', async () => {
		const cookie = `mcu_token=${encodeURIComponent(app.tokens.wall)}`;
		expect(await handshake(cookie, 'https://evil.example')).toEqual({ ok: false, error: 'unauthorized' });
		expect(await handshake(cookie, null)).toEqual({ ok: false, error: 'unauthorized' });
	});

	it('refuses a wrong cookie', async () => {
		expect(await handshake('mcu_token=not-a-token-of-this-city', app.url)).toEqual({ ok: false, error: 'unauthorized' });
	});
});
