/**
 * Access tokens: a JSON file `{ "<token>": "<role>" }`. Either `MCU_TOKENS_FILE`, or demo tokens generated once
 * into the data directory. The file is re-read when it changes, so revoking a token is an edit, not a restart.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCookies } from 'cookie';
import { z } from 'zod';
import { principalFromRole, type Principal, type Role } from '../../src/lib/contract/roles.ts';
// The cookie in which pages keep their token (set by the sign-in hook, HttpOnly, SameSite=Strict).
import { TOKEN_COOKIE } from '../../src/lib/server/sign-in.ts';

const RoleSchema = z.union([
	z.enum(['admin', 'wall', 'ingest']),
	z.string().regex(/^district:[a-z0-9_-]+$/) as z.ZodType<`district:${string}`>
]);
const TokensFileSchema = z.record(z.string(), RoleSchema).superRefine((file, ctx) => {
	for (const token of Object.keys(file)) {
		// Name the short token by its first characters only: the message goes to logs and /readyz.
		if (token.length < 16) ctx.addIssue({ code: 'custom', path: [`${token.slice(0, 3)}…`], message: 'tokens must be at least 16 characters' });
	}
});

export interface DemoTokens {
	admin: string;
	wall: string;
	ingest: string;
	districts: Record<string, string>;
}

/** How often the file's modification time is checked at most. */
const RECHECK_MS = 1000;

export class TokenStore {
	private byHash = new Map<string, Role>();
	private mtimeMs = -1;
	private checkedAt = 0;
	private lastProblem: string | null = null;

	/** Throws when the file cannot be read or parsed at start: there are no good tokens to keep yet. */
	constructor(
		private readonly file: string,
		private readonly onError: (message: string) => void = () => {}
	) {
		this.reload();
	}

	/** Why the file on disk is not in force (the last good tokens are), or null when it is. */
	get problem(): string | null {
		this.reloadIfChanged();
		return this.lastProblem;
	}

	/** The principal for a token, or null when the token is unknown or revoked. */
	resolve(token: string | null | undefined): Principal | null {
		if (!token || token.length > 512) return null;
		this.reloadIfChanged();
		const role = this.byHash.get(hash(token));
		return role ? principalFromRole(role) : null;
	}

	private reloadIfChanged(): void {
		const now = Date.now();
		if (now - this.checkedAt < RECHECK_MS) return;
		this.checkedAt = now;
		let mtimeMs: number;
		try {
			mtimeMs = fs.statSync(this.file).mtimeMs;
		} catch {
			// The file was deleted: that revokes every token, deliberately (keeping the old ones would not).
			this.byHash.clear();
			this.mtimeMs = -1;
			this.lastProblem = `tokens file ${this.file} is missing: every token is revoked`;
			return;
		}
		if (mtimeMs === this.mtimeMs) return;
		try {
			this.reload();
		} catch (e) {
			// A typo in an edit must not lock everyone out: the last good tokens stay in force.
			this.mtimeMs = mtimeMs;
			this.lastProblem = `${(e as Error).message}; the last good tokens stay in force`;
			this.onError(this.lastProblem);
		}
	}

	private reload(): void {
		const stat = fs.statSync(this.file);
		const text = fs.readFileSync(this.file, 'utf8');
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch (e) {
			throw new Error(`Invalid tokens file ${this.file}: not JSON (${(e as Error).message})`);
		}
		const parsed = TokensFileSchema.safeParse(json);
		if (!parsed.success) {
			throw new Error(`Invalid tokens file ${this.file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
		}
		this.byHash = new Map(Object.entries(parsed.data).map(([token, role]) => [hash(token), role as Role]));
		this.mtimeMs = stat.mtimeMs;
		this.lastProblem = null;
	}
}

function hash(token: string): string {
	return crypto.createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
	return crypto.randomBytes(24).toString('base64url');
}

/** Creates `<dataDir>/tokens.json` with one token per role on first start; returns the file and the demo tokens. */
export function ensureDemoTokens(dataDir: string, districtCodes: readonly string[]): { file: string; tokens: DemoTokens } {
	const file = path.join(dataDir, 'tokens.json');
	if (!fs.existsSync(file)) {
		const content: Record<string, string> = {
			[newToken()]: 'admin',
			[newToken()]: 'wall',
			[newToken()]: 'ingest'
		};
		for (const code of districtCodes) content[newToken()] = `district:${code}`;
		fs.mkdirSync(dataDir, { recursive: true });
		fs.writeFileSync(file, JSON.stringify(content, null, 2) + '\n', { mode: 0o600 });
	}
	return { file, tokens: readDemoTokens(file) };
}

/** The first token of each role in a tokens file (for printing links and for tests). */
export function readDemoTokens(file: string): DemoTokens {
	const entries = Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>);
	const first = (role: string) => entries.find(([, r]) => r === role)?.[0] ?? '';
	const districts: Record<string, string> = {};
	for (const [token, role] of entries) {
		if (role.startsWith('district:') && !districts[role.slice(9)]) districts[role.slice(9)] = token;
	}
	return { admin: first('admin'), wall: first('wall'), ingest: first('ingest'), districts };
}

/** Compares a presented secret with the expected one in constant time. */
export function sameSecret(presented: string | null, expected: string): boolean {
	if (presented === null) return false;
	const a = crypto.createHash('sha256').update(presented).digest();
	const b = crypto.createHash('sha256').update(expected).digest();
	return crypto.timingSafeEqual(a, b);
}

/** Bearer token from an Authorization header. */
export function bearerToken(header: string | undefined): string | null {
	if (!header) return null;
	const m = /^Bearer\s+(\S+)$/i.exec(header);
	return m ? m[1]! : null;
}

/** The page token from a Cookie header: the API reads take it, and so does the /live handshake. */
export function cookieToken(cookie: string | undefined): string | null {
	if (!cookie) return null;
	try {
		return parseCookies(cookie)[TOKEN_COOKIE] ?? null;
	} catch {
		return null;
	}
}
