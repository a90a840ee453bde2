import fs from 'node:fs'; import os from 'node:os'; import path from 'node:path';
import { loadConfig } from './server/config.ts';
import { createStore } from './server/store/client.ts';
import { migrate } from './server/store/migrate.ts';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diag-'));
const store = await createStore(loadConfig({ MCU_DATA_DIR: dir, MCU_DEMO: '0' }));
await migrate(store);
const n = 1_000_000, now = Date.now();
const t0 = performance.now();
await store.command({ query: `INSERT INTO incidents (id, source, created_at, received_at, category, district, h3, address, text, url, severity, deadline_at, place_key)
SELECT concat('p-', toString(number)), 'vk', fromUnixTimestamp64Milli(toInt64(${now} - cityHash64(number, 1) % ${365*86400000}), 'UTC') AS c, c, ['heating','water','roads','yard','housing'][1 + cityHash64(number,3)%5], 'central', 0, '', '', '', 2, c, concat('a:x', toString(toUInt64(pow((cityHash64(number, 2) % 1000000) / 1000000, 2) * 125000))) FROM numbers(${n})` });
console.log('fill', performance.now() - t0);
const q = async (label: string, sql: string, p = {}) => { for (let k = 0; k < 3; k++) { const t = performance.now(); const r = await store.query({ query: sql, query_params: p, format: 'JSONEachRow' }); const j = await r.json(); console.log(label, Math.round(performance.now() - t), JSON.stringify(j).slice(0, 120)); } };

await q('cand', `SELECT place_key, category, count() n FROM incidents WHERE created_at > now() - INTERVAL 90 DAY GROUP BY place_key, category HAVING n >= 3 ORDER BY n DESC LIMIT 20`);
await q('cand_hash', `SELECT cityHash64(place_key) h, category, count() n, any(place_key) k FROM incidents WHERE created_at > now() - INTERVAL 90 DAY GROUP BY h, category HAVING n >= 3 ORDER BY n DESC LIMIT 20`);
await q('cand_hash2', `SELECT h, category, n FROM (SELECT cityHash64(place_key) h, category, count() n FROM incidents WHERE created_at > now() - INTERVAL 90 DAY GROUP BY h, category) WHERE n >= 3 ORDER BY n DESC LIMIT 20`);
await q('cand_inorder', `SELECT place_key, category, count() n FROM incidents WHERE created_at > now() - INTERVAL 90 DAY GROUP BY place_key, category HAVING n >= 3 ORDER BY n DESC LIMIT 20 SETTINGS optimize_aggregation_in_order = 1, optimize_use_projections=1`);
await q('cand_topk', `SELECT topK(20)(place_key) FROM incidents WHERE created_at > now() - INTERVAL 90 DAY`);
await store.close();
