/**
 * Authors are stored only as a salted hash: enough to see one person posting again and again (hotspot
 * detection counts such a series once), useless to find out who it is. The salt is `MCU_AUTHOR_SALT`, or a
 * random secret generated once into the data dir (so hashes stay comparable across restarts).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const SALT_FILE = 'author-salt';

export function hashAuthor(author: string, salt: string): string {
	// HMAC rather than hash(salt + author): no length-extension games, and a salt of any length
	return crypto.createHmac('sha256', salt).update(author.trim()).digest('base64url').slice(0, 22);
}

/** The configured salt, or the data dir's own, created on first use (readable by the owner only). */
export function authorSalt(config: { dataDir: string; authorSalt: string | null }): string {
	if (config.authorSalt) return config.authorSalt;
	const file = path.join(config.dataDir, SALT_FILE);
	try {
		const s = fs.readFileSync(file, 'utf8').trim();
		if (s.length >= 16) return s;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
	}
	const salt = crypto.randomBytes(32).toString('base64url');
	fs.mkdirSync(config.dataDir, { recursive: true });
	// wx: two processes starting at once must not overwrite each other's salt
	try {
		fs.writeFileSync(file, salt + '\n', { mode: 0o600, flag: 'wx' });
		return salt;
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
		throw e;
	}
}
