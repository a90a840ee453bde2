/**
 * Whether a page request reached us over HTTPS, and the origin to print in links. The aggregator serves plain
 * HTTP itself, so HTTPS can only mean a TLS proxy in front: it says so with `X-Forwarded-Proto: https`, or the
 * operator set `MCU_PUBLIC_URL` to an https URL.
 */
export function requestIsHttps(headers: Headers, publicUrl: unknown): boolean {
	if (headers.get('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https') return true;
	return typeof publicUrl === 'string' && publicUrl.startsWith('https:');
}

export function requestOrigin(headers: Headers, url: URL, publicUrl: unknown): string {
	if (typeof publicUrl === 'string' && publicUrl) return publicUrl.replace(/\/$/, '');
	return `${requestIsHttps(headers, publicUrl) ? 'https' : 'http'}://${url.host}`;
}
