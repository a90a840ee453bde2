/**
 * Print tickets: how the headless browser is let into `/print/<id>` without a user's token.
 * A ticket is an HMAC over the report id and an expiry, keyed by a random secret that lives only in
 * this process's memory. It opens that one report's print page for a minute or two and nothing else;
 * the key never leaves the process, so a ticket seen in a log cannot be turned into any other access.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const TICKET_TTL_MS = 120_000;

export class PrintTickets {
	readonly #key = randomBytes(32);
	constructor(private readonly now: () => Date = () => new Date()) {}

	#sign(id: string, exp: string): Buffer {
		return createHmac('sha256', this.#key).update(`print\n${id}\n${exp}`).digest();
	}

	issue(id: string): { exp: string; sig: string } {
		const exp = String(this.now().getTime() + TICKET_TTL_MS);
		return { exp, sig: this.#sign(id, exp).toString('base64url') };
	}

	verify(id: string, exp: string | null, sig: string | null): boolean {
		if (!exp || !sig || !/^\d{1,15}$/.test(exp) || Number(exp) < this.now().getTime()) return false;
		const given = Buffer.from(sig, 'base64url');
		const want = this.#sign(id, exp);
		return given.length === want.length && timingSafeEqual(given, want);
	}
}
