/**
 * `author` on ingest, over real HTTP into the real engine: at most 128 characters, stored only as a
 * salted hash (the salt generated once into the data dir and kept across restarts), never returned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAuthor, SALT_FILE } from '../../server/ingest/author.ts';
import { get, post, startApp, type StartedApp } from '../helpers/app.ts';
import { incident } from '../helpers/incidents.ts';

let app: StartedApp;
beforeAll(async () => {
	app = await startApp({ pages: false });
});
afterAll(async () => {
	await app?.stop();
});

/** Reads the store itself: first waits until what was acknowledged has left the ingest log for it. */
async function storedHash(id: string): Promise<string> {
	await app.app.services.pipeline.drain();
	const r = await app.store.query({ query: 'SELECT author_hash FROM incidents WHERE id = {id:String}', query_params: { id }, format: 'JSONEachRow' });
	const rows = (await r.json()) as { author_hash: string }[];
	return rows[0]!.author_hash;
}

describe('incident author', () => {
	it('refuses an author longer than 128 characters and stores nothing', async () => {
		const bad = await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, incident({ id: 'auth-long', author: 'x'.repeat(129) }));
		expect(bad.status).toBe(400);
		expect(JSON.stringify(bad.body)).toContain('author');
		expect(Number(((await (await app.store.query({ query: "SELECT count() AS n FROM incidents WHERE id = 'auth-long'", format: 'JSONEachRow' })).json()) as { n: string }[])[0]!.n)).toBe(0);
	});

	it('stores the salted hash only and never returns the author', async () => {
		const ok = await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, [
			incident({ id: 'auth-1', author: 'vk:id12345' }),
			incident({ id: 'auth-2', author: 'vk:id12345' }),
			incident({ id: 'auth-3' })
		]);
		expect(ok.status).toBeLessThan(300);
		const salt = fs.readFileSync(path.join(app.dataDir, SALT_FILE), 'utf8').trim();
		expect(salt.length).toBeGreaterThanOrEqual(16);
		const h1 = await storedHash('auth-1');
		expect(h1).toBe(hashAuthor('vk:id12345', salt));
		expect(h1).not.toContain('12345');
		expect(await storedHash('auth-2')).toBe(h1);
		expect(await storedHash('auth-3')).toBe('');
		const read = await get(`${app.url}/api/v1/incidents/auth-1`, app.tokens.admin);
		expect(read.status).toBe(200);
		const body = JSON.stringify(read.body);
		expect(body).not.toContain('vk:id12345');
		expect(body).not.toContain(h1);
		expect(body).not.toContain('author');
	});

	it('keeps the salt of the data dir across restarts', async () => {
		const salt = fs.readFileSync(path.join(app.dataDir, SALT_FILE), 'utf8');
		const dir = app.dataDir;
		await app.stop();
		app = await startApp({ pages: false, dataDir: dir });
		expect(fs.readFileSync(path.join(dir, SALT_FILE), 'utf8')).toBe(salt);
		await post(`${app.url}/api/v1/incidents`, app.tokens.ingest, incident({ id: 'auth-4', author: 'vk:id12345' }));
		expect(await storedHash('auth-4')).toBe(hashAuthor('vk:id12345', salt.trim()));
	});
});
