/**
 * The pages with every role (the token as the page cookie): /wall, /district/<code>, /reports, /admin;
 * sign-in by link, security headers, revocation by editing the tokens file, and the sign-in rate limit.
 * Needs the built front end (`npx vite build`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startApp, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';
import { byRole, OWN, ROLES, tokenOf, type RoleName } from './support/roles.ts';

let app: StartedApp;
/** A text only central's incidents carry: it must never appear on another district's page. */
const CENTRAL_MARK = 'ЦЕНТРАЛЬНЫЙ-МАРКЕР-ТЕКСТА';
const ownIncident = incident({ district: OWN, text: 'Обращение индустриального района' });

async function page(pathname: string, token: string | null): Promise<{ status: number; html: string; headers: Headers }> {
	const res = await fetch(app.url + pathname, { headers: token ? { cookie: `mcu_token=${encodeURIComponent(token)}` } : {}, redirect: 'manual' });
	return { status: res.status, html: await res.text(), headers: res.headers };
}

beforeAll(async () => {
	app = await startApp({ env: { MCU_REPORTS: '0' } });
	const central = Array.from({ length: 3 }, () => incident({ district: 'central', text: `${CENTRAL_MARK} жалоба`, address: `${CENTRAL_MARK} адрес` }));
	expect((await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [...central, ownIncident])).status).toBe(202);
});
afterAll(async () => {
	await app?.stop();
});

const PAGES: Record<string, Record<RoleName, number>> = {
	'/wall': byRole({ none: 401, admin: 200, wall: 200, ingest: 403, own: 403, other: 403 }),
	[`/district/${OWN}`]: byRole({ none: 401, admin: 200, wall: 200, ingest: 403, own: 200, other: 403 }),
	'/district/atlantis': byRole({ none: 401, admin: 404, wall: 404, ingest: 403, own: 403, other: 403 }),
	'/reports': byRole({ none: 401, admin: 200, wall: 200, ingest: 403, own: 200, other: 200 }),
	'/admin': byRole({ none: 401, admin: 200, wall: 403, ingest: 403, own: 403, other: 403 })
};

describe('pages by role', () => {
	it('answer every role exactly as written', async () => {
		const got: Record<string, Record<string, number>> = {};
		for (const p of Object.keys(PAGES)) {
			got[p] = {};
			for (const role of ROLES) got[p]![role] = (await page(p, tokenOf(role, app.tokens))).status;
		}
		expect(got).toEqual(PAGES);
	});

	it('refuse in Russian, with no stack trace', async () => {
		const other = await page(`/district/${OWN}`, app.tokens.districts.central!);
		expect(other.status).toBe(403);
		expect(other.html).toContain('Доступ запрещён');
		expect(other.html).toContain('не открывает страницу этого района');
		expect(other.html).not.toMatch(/at .*\.(ts|js):\d+/);
		const none = await page(`/district/${OWN}`, null);
		expect(none.html).toContain('Нужна ссылка доступа');
		expect((await page('/admin', app.tokens.wall)).html).toContain('только для администратора');
	});

	it('give a district page its own incidents and the city average, never another district’s incidents', async () => {
		for (const token of [app.tokens.districts[OWN]!, app.tokens.wall, app.tokens.admin]) {
			const p = await page(`/district/${OWN}`, token);
			expect(p.status).toBe(200);
			expect(p.html).toContain(ownIncident.id);
			expect(p.html).toContain('Индустриальный район');
			expect(p.html).toContain('город:');
			expect(p.html).not.toContain(CENTRAL_MARK);
			expect(p.headers.get('cache-control')).toContain('no-store');
		}
	});

	it('carry no access token in the page: scripts never see it', async () => {
		expect.assertions(6);
		for (const [path, token] of [['/wall', app.tokens.wall], [`/district/${OWN}`, app.tokens.districts[OWN]!], [`/district/${OWN}`, app.tokens.wall]] as const) {
			const p = await page(path, token);
			expect(p.status).toBe(200);
			expect(p.html).not.toContain(token);
		}
	});

	it('carry the security headers: CSP without inline scripts, nosniff, no referrer, no framing', async () => {
		for (const p of ['/wall', `/district/${OWN}`, '/admin', '/reports']) {
			const r = await page(p, app.tokens.admin);
			const csp = r.headers.get('content-security-policy') ?? '';
			const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
			expect({ p, scriptSrc: scriptSrc.includes("'self'"), inline: scriptSrc.includes('unsafe-inline') }).toEqual({ p, scriptSrc: true, inline: false });
			expect(csp).toContain("frame-ancestors 'none'");
			expect(r.headers.get('x-content-type-options')).toBe('nosniff');
			expect(r.headers.get('referrer-policy')).toBe('no-referrer');
		}
	});
});

describe('sign-in by link', () => {
	it('exchanges ?token= for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
		const token = app.tokens.districts[OWN]!;
		const res = await fetch(`${app.url}/district/${OWN}?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
		expect(res.status).toBe(303);
		expect(res.headers.get('location')).toBe(`/district/${OWN}`);
		const cookie = res.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/^mcu_token=/);
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Strict/i);
		// Plain HTTP here: the cookie is marked Secure only when the page is served over HTTPS.
		expect(cookie).not.toMatch(/Secure/i);
		const follow = await fetch(`${app.url}/district/${OWN}`, { headers: { cookie: cookie.split(';')[0]! } });
		expect(follow.status).toBe(200);
		// Behind a TLS proxy the cookie is Secure.
		const proxied = await fetch(`${app.url}/district/${OWN}?token=${encodeURIComponent(token)}`, { redirect: 'manual', headers: { 'x-forwarded-proto': 'https' } });
		expect(proxied.headers.get('set-cookie')).toMatch(/; Secure/i);
	});

	it('answers a bad link with a Russian page, not a stack trace', async () => {
		const res = await fetch(`${app.url}/district/${OWN}?token=definitely-not-a-valid-token`, { redirect: 'manual' });
		expect(res.status).toBe(401);
		const html = await res.text();
		expect(html).toContain('Ссылка недействительна');
		expect(res.headers.get('set-cookie')).toBeNull();
	});
});

describe('the admin page of links', () => {
	it('lists every token of the tokens file with its link and a QR code', async () => {
		const file = path.join(app.dataDir, 'tokens.json');
		const tokens = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
		const p = await page('/admin', app.tokens.admin);
		expect(p.status).toBe(200);
		for (const [token, role] of Object.entries(tokens)) {
			expect(p.html).toContain(token);
			expect(p.html).toContain(`data-role="${role}"`);
		}
		// Every page role has a QR code (admin, wall, five districts); ingest has none.
		expect(p.html.match(/data-qr/g)).toHaveLength(Object.values(tokens).filter((r) => r !== 'ingest').length);
		expect(p.html).toContain(`${app.url}/district/${OWN}?token=${encodeURIComponent(app.tokens.districts[OWN]!)}`);
		expect(p.html).toMatch(/src="data:image\/svg\+xml;base64,/);
	});
});

describe('revocation by editing the tokens file', () => {
	it('refuses a removed token on the next request: page, API and a new link', async () => {
		const file = path.join(app.dataDir, 'tokens.json');
		const tokens = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
		const victim = app.tokens.districts.leninsky!;
		expect((await page('/district/leninsky', victim)).status).toBe(200);
		delete tokens[victim];
		fs.writeFileSync(file, JSON.stringify(tokens, null, 2));
		// The token store re-reads the file within about a second of a change.
		let status = 200;
		const start = Date.now();
		while (status === 200 && Date.now() - start < 10_000) {
			status = (await page('/district/leninsky', victim)).status;
			if (status === 200) await new Promise((r) => setTimeout(r, 200));
		}
		expect(status).toBe(401);
		expect((await fetch(`${app.url}/api/v1/incidents`, { headers: { authorization: `Bearer ${victim}` } })).status).toBe(401);
		expect((await fetch(`${app.url}/district/leninsky?token=${victim}`, { redirect: 'manual' })).status).toBe(401);
		// The admin page no longer lists it; other tokens keep working.
		expect((await page('/admin', app.tokens.admin)).html).not.toContain(victim);
		expect((await page(`/district/${OWN}`, app.tokens.districts[OWN]!)).status).toBe(200);
	});
});

describe('sign-in rate limit', () => {
	it('answers 429 in Russian after too many link attempts from one address', async () => {
		let last = 0;
		let html = '';
		for (let i = 0; i < 30 && last !== 429; i++) {
			const res = await fetch(`${app.url}/district/${OWN}?token=guess-${i}-aaaaaaaaaaaaaaaa`, { redirect: 'manual' });
			last = res.status;
			html = await res.text();
		}
		expect(last).toBe(429);
		expect(html).toContain('Слишком много попыток входа');
		// Even a valid link waits now: the limit is per address, not per token.
		expect((await fetch(`${app.url}/district/${OWN}?token=${app.tokens.districts[OWN]}`, { redirect: 'manual' })).status).toBe(429);
	});
});
