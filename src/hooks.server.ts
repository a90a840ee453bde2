/**
 * Every page request: a `?token=` link is exchanged once for an HttpOnly cookie and dropped from the
 * address bar; the caller's principal is resolved on the server; security headers are set.
 */
import type { Handle } from '@sveltejs/kit';
import { getServerContext } from '$lib/server/context';
import { TOKEN_COOKIE, signInRefusedPage } from '$lib/server/sign-in';
import { requestIsHttps } from '$lib/server/request-origin';

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'no-referrer',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(), microphone=(), geolocation=()'
};

export const handle: Handle = async ({ event, resolve }) => {
	const ctx = getServerContext();
	const linkToken = event.url.searchParams.get('token');
	if (linkToken !== null) {
		const clientKey = event.getClientAddress();
		if (!ctx.allowSignIn(clientKey)) return withHeaders(signInRefusedPage(429));
		const principal = ctx.authenticate(linkToken);
		if (!principal) return withHeaders(signInRefusedPage(401));
		// SvelteKit adds `cookies.set` only to responses made by `resolve`, not to one returned here: serialize it.
		const cookie = event.cookies.serialize(TOKEN_COOKIE, linkToken, {
			path: '/',
			httpOnly: true,
			sameSite: 'strict',
			// The aggregator speaks plain HTTP; HTTPS means a TLS proxy in front (X-Forwarded-Proto or MCU_PUBLIC_URL).
			secure: requestIsHttps(event.request.headers, ctx.extras.publicUrl),
			maxAge: 60 * 60 * 24 * 365
		});
		const clean = new URL(event.url);
		clean.searchParams.delete('token');
		return withHeaders(new Response(null, { status: 303, headers: { location: clean.pathname + clean.search, 'set-cookie': cookie } }));
	}
	event.locals.principal = ctx.authenticate(event.cookies.get(TOKEN_COOKIE));
	const response = await resolve(event);
	for (const [k, v] of Object.entries(SECURITY_HEADERS)) response.headers.set(k, v);
	return response;
};

function withHeaders(response: Response): Response {
	for (const [k, v] of Object.entries(SECURITY_HEADERS)) response.headers.set(k, v);
	return response;
}
