/** Sign-in by link: the cookie's name and the page shown when a link is refused. */
export const TOKEN_COOKIE = 'mcu_token';

const MESSAGES: Record<number, { title: string; text: string }> = {
	401: {
		title: 'Ссылка недействительна',
		text: 'Ключ доступа в ссылке неверен или отозван. Попросите у администратора МЦУ новую ссылку.'
	},
	429: {
		title: 'Слишком много попыток входа',
		text: 'С этого адреса было слишком много попыток входа. Подождите минуту и откройте ссылку снова.'
	}
};

/** A small static page: no scripts, nothing from the request echoed back. */
export function signInRefusedPage(status: 401 | 429): Response {
	const m = MESSAGES[status]!;
	const html = `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${m.title} — МЦУ Пульс</title>
<style>body{font:18px/1.5 system-ui,sans-serif;background:#0f1420;color:#e8edf5;display:grid;place-items:center;min-height:100vh;margin:0}main{max-width:34rem;padding:2rem}h1{font-size:1.6rem}</style></head>
<body><main><h1>${m.title}</h1><p>${m.text}</p></main></body></html>`;
	return new Response(html, {
		status,
		headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" }
	});
}
