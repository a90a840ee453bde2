/**
 * A minimal Telegram Bot API client on fetch: POST `<root>/bot<token>/<method>` with a JSON body, the
 * answer `{ok, result}` or `{ok:false, error_code, description, parameters:{retry_after}}`.
 * Plain fetch rather than a framework: the product needs four methods, exact control of `retry_after`,
 * and no retries behind its back (the outbox decides when to try again).
 */
export class TelegramError extends Error {
	constructor(
		readonly code: number,
		message: string,
		/** Seconds Telegram asks to wait (429). */
		readonly retryAfterS: number | null
	) {
		super(message);
	}
}

export interface TelegramClient {
	call<T = unknown>(method: string, body: Record<string, unknown>, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<T>;
}

export function telegramClient(apiRoot: string, token: string): TelegramClient {
	const base = `${apiRoot.replace(/\/+$/, '')}/bot${token}`;
	return {
		async call<T>(method: string, body: Record<string, unknown>, opts: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
			const signals = [AbortSignal.timeout(opts.timeoutMs ?? 15_000), ...(opts.signal ? [opts.signal] : [])];
			let res: Response;
			try {
				res = await fetch(`${base}/${method}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
					signal: AbortSignal.any(signals)
				});
			} catch (e) {
				// The token is part of the URL: never let it into a message that is logged or shown.
				throw new TelegramError(0, `Telegram unreachable: ${(e as Error).name === 'TimeoutError' ? 'timeout' : ((e as Error).cause as Error)?.message ?? (e as Error).message}`.replaceAll(token, '…'), null);
			}
			let json: { ok?: boolean; result?: T; error_code?: number; description?: string; parameters?: { retry_after?: number } };
			try {
				json = (await res.json()) as typeof json;
			} catch {
				throw new TelegramError(res.status, `Telegram answered ${res.status} without JSON`, null);
			}
			if (!res.ok || !json.ok) {
				throw new TelegramError(json.error_code ?? res.status, `Telegram ${method}: ${json.error_code ?? res.status} ${json.description ?? ''}`.trim(), json.parameters?.retry_after ?? null);
			}
			return json.result as T;
		}
	};
}
