/**
 * The outbox journal and the delivery loop as units: replay after a torn write, what is resent after a
 * restart, the bound on kept alerts and the compaction of the file; the per-chat limit of Telegram
 * (≤ per_minute in any minute) with a recording sender standing in for the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../server/alerts/outbox.ts';
import { Dispatcher } from '../../server/alerts/dispatcher.ts';
import { systemAlert } from '../../server/alerts/build.ts';
import { tempDir } from '../helpers/app.ts';
import type { Alert } from '../../server/alerts/model.ts';
import type { ContactPoint } from '../../server/alerts/config.ts';

const at = new Date('2026-11-05T05:00:00Z');
const alert = (): Alert => systemAlert('store_down', 'x', at);
const quiet = () => undefined;

describe('the outbox journal', () => {
	it('resends after a restart what has no outcome, and skips a torn last line', async () => {
		const dir = tempDir();
		const box = await Outbox.open(dir, quiet);
		const [a, b] = [alert(), alert()];
		await box.record(a, [{ contact: 'brief', due_at: at.toISOString(), digest: false }, { contact: 'gis', due_at: at.toISOString(), digest: false }]);
		await box.record(b, [{ contact: 'brief', due_at: at.toISOString(), digest: false }]);
		await box.sent(a.id, 'brief', at, { chat_id: '-1', message_id: 5 });
		await box.ack(a.id, 'Ирина', at);
		await box.close();
		// A crash in the middle of a write leaves half a line.
		fs.appendFileSync(path.join(dir, 'outbox.ndjson'), '{"t":"sent","id":"');
		const logged: string[] = [];
		const again = await Outbox.open(dir, (m) => logged.push(m));
		expect(again.tornLines).toBe(1);
		expect(logged[0]).toMatch(/torn record/);
		const pending = again.all().flatMap((s) => s.deliveries.filter((d) => d.state === 'pending').map((d) => `${s.alert.id}/${d.contact}`));
		expect(pending.sort()).toEqual([`${a.id}/gis`, `${b.id}/brief`].sort());
		expect(again.get(a.id)!.ack).toEqual({ by: 'Ирина', at: at.toISOString() });
		expect(again.get(a.id)!.deliveries[0]!.ref).toEqual({ chat_id: '-1', message_id: 5 });
		await again.close();
	});

	it('keeps at most maxAlerts (finished ones go first) and compacts the file', async () => {
		const dir = tempDir();
		const box = await Outbox.open(dir, quiet, { maxAlerts: 10, maxBytes: 4096 });
		const waiting = alert();
		await box.record(waiting, [{ contact: 'down', due_at: at.toISOString(), digest: false }]);
		for (let i = 0; i < 50; i++) {
			const a = alert();
			await box.record(a, [{ contact: 'brief', due_at: at.toISOString(), digest: false }]);
			await box.sent(a.id, 'brief', at);
		}
		expect(box.size).toBe(10);
		// The one still waiting for its contact is kept; finished ones made room.
		expect(box.get(waiting.id)).toBeDefined();
		expect(fs.statSync(path.join(dir, 'outbox.ndjson')).size).toBeLessThan(4096 + 2048);
		await box.close();
		const again = await Outbox.open(dir, quiet, { maxAlerts: 10 });
		expect(again.size).toBe(10);
		expect(again.get(waiting.id)!.deliveries[0]!.state).toBe('pending');
		await again.close();
	});
});

describe('the delivery loop', () => {
	it('sends at most per_minute messages to one Telegram chat in a minute; the rest wait', async () => {
		const box = await Outbox.open(tempDir(), quiet);
		for (let i = 0; i < 8; i++) await box.record(alert(), [{ contact: 'brief', due_at: at.toISOString(), digest: false }]);
		const sends: number[] = [];
		const contact: ContactPoint = { type: 'telegram', bot_token: '1:abcdefghijkl', chat_id: '-1', per_minute: 3 };
		const d = new Dispatcher({
			outbox: box,
			senders: { send: async () => (sends.push(Date.now()), { ref: null }), close: quiet },
			contacts: () => ({ brief: contact }),
			log: quiet,
			now: () => at
		});
		d.start();
		for (let i = 0; i < 40 && sends.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
		await new Promise((r) => setTimeout(r, 800));
		await d.stop();
		expect(sends).toHaveLength(3);
		expect(box.all().filter((s) => s.deliveries[0]!.state === 'pending')).toHaveLength(5);
		await box.close();
	});
});
