import { chromium } from 'playwright-core';
import { startApp, post, get } from '../helpers/app.ts';
import { seedKnownWeek, WEEK } from './report-fixture.ts';
const app = await startApp({ env: { MCU_REPORTS: '0' } });
await seedKnownWeek(app.store, app.app.services.city);
const r = await post(`${app.url}/api/v1/reports`, app.tokens.admin, { week: WEEK });
for (;;) { const l = await get(`${app.url}/api/v1/reports`, app.tokens.admin); const m = l.body.items[0]; if (m.status !== 'queued' && m.status !== 'running') { console.log(m.status, m.duration_ms, m.error); break; } await new Promise(r => setTimeout(r, 200)); }
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox','--disable-gpu'] });
const ctx = await b.newContext({ viewport: { width: 1123, height: 794 } });
await ctx.addCookies([{ name: 'mcu_token', value: app.tokens.admin, url: app.url }]);
const p = await ctx.newPage();
await p.goto(`${app.url}/print/${r.body.id}?only=oktyabrsky`); await p.waitForFunction(() => document.body.dataset.ready === '1');
await p.screenshot({ path: '/tmp/district.png' });
await p.goto(`${app.url}/reports`); await p.waitForTimeout(500);
await p.screenshot({ path: '/tmp/archive.png', fullPage: true });
await b.close(); await app.stop();
