/**
 * Outbound alerts, against the real server in a child process and a Bot API stand-in over HTTP:
 * 1. detection → first Telegram request: bursts of incidents at fresh places make the real detector open
 *    hotspots; timed from the 202 of the burst's last POST (the data is in) and from `hotspot:alert`
 *    reaching a wall socket (the detection) to the stand-in receiving sendMessage;
 * 2. five SIGKILLs while urgent incidents are posted during a Telegram outage (502), then Telegram back:
 *    delivered / lost / duplicated per acknowledged urgent incident; then five SIGKILLs while a slow
 *    Telegram answers (kills land between send and record): duplicates per kill;
 * 3. ingest throughput (NDJSON × 1 000) with alerting on against off, alternated.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULTS, type BenchOptions } from './lib/options.ts';
import { Poster, ndjsonBatch } from './lib/load.ts';
import { distribution, printTable, round, sleep } from './lib/report.ts';
import { startBenchServer } from './lib/server.ts';
import { get, startAppProcess, tempDir } from '../helpers/app.ts';
import { connectLive, connected } from '../helpers/live.ts';
import { startBotApi, type BotApi } from '../alerts/support/bot-api.ts';

export const title = 'Outbound alerts: detection → Telegram, SIGKILL during an outage, ingest with alerting on/off';

const TOKEN = '111111:BENCHtokenABCDEFGHIJ';
const CATEGORIES = ['heating', 'water', 'housing', 'roads', 'snow', 'yard', 'lighting', 'waste', 'transport'];

function alertsFile(dir: string, routes: unknown[]): string {
	const f = path.join(dir, `alerts-${Date.now()}.json`);
	fs.writeFileSync(
		f,
		JSON.stringify({ contacts: { brief: { type: 'telegram', bot_token: TOKEN, chat_id: '-100200' } }, routes, options: { quiet_hours: false, group_window_s: 5 } })
	);
	return f;
}

async function detectionToTelegram(bot: BotApi, bursts: number): Promise<Record<string, unknown>> {
	const dir = tempDir('mcu-bench-alerts-');
	// The detector's thresholds are calibrated on the store's own history: an empty store (a fresh
	// deployment) holds them at the cold-start bound, which a six-incident burst never reaches. So the
	// demo's year of Barnaul history is backfilled first, and the bursts land on a calibrated detector.
	const server = await startBenchServer({ MCU_ALERTS_FILE: alertsFile(dir, [{ match: { events: ['hotspot'] }, contacts: ['brief'] }]), MCU_TELEGRAM_API_ROOT: bot.url, MCU_DEMO: '1', MCU_LOG_LEVEL: 'info' });
	const calibratedIn = await calibrated(() => server.proc.output());
	const wall = connectLive(server.url, server.wallToken);
	await connected(wall);
	const opened: { place: string; at: number }[] = [];
	wall.on('hotspot:alert', (a) => {
		if (a.kind === 'opened') opened.push({ place: a.hotspot.place ?? '', at: performance.now() });
	});
	const sentAt: { at: number; text: string }[] = [];
	bot.onSent = (c) => sentAt.push({ at: performance.now(), text: c.body.text });
	const poster = new Poster(server.url, server.ingestToken, 4);
	const fromPost: number[] = [];
	const fromDetection: number[] = [];
	let missed = 0;
	try {
		for (let b = 0; b < bursts; b++) {
			// A fresh place ~1.5 km from the others, a category cycled: each burst is a new hotspot.
			const lat = 53.3 + (b % 6) * 0.014;
			const lon = 83.62 + Math.floor(b / 6) * 0.025;
			const category = CATEGORIES[b % CATEGORIES.length]!;
			// One address per burst: the hotspot's place, in its message too (the demo's own hotspots are not ours).
			const place = `ул. Бенчмарк ${b + 1}-я, 1`;
			const body = Array.from({ length: 6 }, (_, i) =>
				JSON.stringify({ id: `ab-${process.pid}-${b}-${i}`, source: 'vk', created_at: new Date(Date.now() - 20 * 60_000 + i * 60_000).toISOString(), category, lat, lon, address: place, text: 'жалоба' })
			);
			const sentPost = performance.now();
			const r = await poster.post(`[${body.join(',')}]`, 'application/json');
			const postedAt = performance.now();
			if (r.status !== 202) throw new Error(`burst POST answered ${r.status}`);
			const ours = () => sentAt.find((m) => m.at >= sentPost && m.text.includes(place));
			const until = Date.now() + 15_000;
			while (!ours() && Date.now() < until) await sleep(10);
			const msg = ours();
			if (!msg) {
				missed++;
				continue;
			}
			fromPost.push(msg.at - postedAt);
			const detected = opened.find((o) => o.place === place && o.at >= sentPost);
			if (detected) fromDetection.push(msg.at - detected.at);
			await sleep(500);
		}
	} finally {
		bot.onSent = null;
		wall.close();
		poster.close();
		await server.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
	const p = distribution(fromPost, 0);
	const d = distribution(fromDetection, 0);
	printTable('detection → first Telegram request (ms)', [
		{ from: 'last POST of the burst (202)', ...p },
		{ from: 'hotspot:alert on a wall socket', ...d }
	]);
	// The target is detection (the engine's hotspot:alert) → Telegram; from the POST it also holds the
	// detector's own scheduling under load, reported beside it.
	return { bursts, missed, calibrated_after_s: round(calibratedIn / 1000, 1), from_post_ms: p, from_detection_ms: d, target_p99_le_5s: (d.p99 ?? Infinity) <= 5000, from_post_p99_le_5s: (p.p99 ?? Infinity) <= 5000 };
}

/** Waits for the backfill and a calibration on it (the log line names the history's days). */
async function calibrated(output: () => string): Promise<number> {
	const t0 = Date.now();
	while (!/hotspot thresholds: .*\(history [1-9]/.test(output())) {
		if (Date.now() - t0 > 15 * 60_000) throw new Error(`no calibration on a backfilled history within 15 min:\n${output().slice(-2000)}`);
		await sleep(500);
	}
	return Date.now() - t0;
}

interface KillRound {
	acked: string[];
}

async function killRounds(bot: BotApi, rounds: number, slowTelegram: boolean): Promise<Record<string, unknown>> {
	const dataDir = tempDir('mcu-bench-alerts-kill-');
	const file = alertsFile(dataDir, [{ match: { events: ['incident'] }, contacts: ['brief'] }]);
	const env = { MCU_ALERTS_FILE: file, MCU_TELEGRAM_API_ROOT: bot.url, MCU_LOG_LEVEL: 'warn', MCU_TELEGRAM_POLL_TIMEOUT_S: '1' };
	const mark = bot.sent().length;
	if (slowTelegram) bot.delaySends(300);
	else bot.failSends({ status: 502 });
	const done: KillRound[] = [];
	try {
		for (let round = 0; round < rounds; round++) {
			const proc = await startAppProcess({ dataDir, env });
			const acked: string[] = [];
			const killAt = Date.now() + 700 + Math.random() * 1500;
			let n = 0;
			while (Date.now() < killAt) {
				const address = `kill-${slowTelegram ? 's' : 'o'}-${round}-${n++}`;
				const body = JSON.stringify({ id: `k-${process.pid}-${address}`, source: 'vk', created_at: new Date(Date.now() - 60_000).toISOString(), category: 'roads', district: 'central', severity: 5, address, text: 'срочно' });
				try {
					const res = await fetch(`${proc.url}/api/v1/incidents`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${proc.tokens.ingest}` }, body });
					await res.arrayBuffer();
					if (res.status === 202) acked.push(address);
				} catch {
					break;
				}
				// A few urgent incidents a round: they drain afterwards at Telegram's 20 messages a minute per chat.
				await sleep(300);
			}
			proc.child.kill('SIGKILL');
			await proc.exited;
			done.push({ acked });
		}
		bot.failSends(null);
		bot.delaySends(0);
		const last = await startAppProcess({ dataDir, env });
		const expected = done.flatMap((r) => r.acked);
		const counted = () => {
			const counts = new Map<string, number>();
			for (const c of bot.sent().slice(mark)) {
				const a = /kill-[so]-\d+-\d+/.exec(c.body.text)?.[0];
				if (a) counts.set(a, (counts.get(a) ?? 0) + 1);
			}
			return counts;
		};
		// Done when the outbox has nothing pending and every acknowledged incident got its alert — or after
		// the time the chat's limit needs (20 a minute) plus a minute: the start-up recovery of alerts a kill
		// kept unrecorded waits for the ingest log to reach the store first (up to 30 s), so an empty outbox
		// alone is not the end.
		const t0 = Date.now();
		const allowMs = 60_000 + expected.length * 3_000;
		for (;;) {
			const log = await get(`${last.url}/api/v1/alerts`, last.tokens.admin);
			const c = counted();
			if ((log.body.pending === 0 && expected.every((a) => c.has(a))) || Date.now() - t0 > allowMs) break;
			await sleep(250);
		}
		const settledS = round((Date.now() - t0) / 1000, 1);
		await last.kill('SIGTERM');
		const counts = counted();
		const delivered = expected.filter((a) => counts.has(a)).length;
		const duplicated = [...counts.values()].reduce((s, n) => s + (n - 1), 0);
		return { kills: rounds, acked_urgent: expected.length, delivered, lost: expected.length - delivered, duplicated, duplicates_per_kill: round(duplicated / rounds, 2), all_in_s: settledS };
	} finally {
		bot.failSends(null);
		bot.delaySends(0);
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

async function throughput(bot: BotApi, seconds: number, withAlerts: boolean): Promise<number> {
	const dir = tempDir('mcu-bench-alerts-tp-');
	const env: Record<string, string> = withAlerts ? { MCU_ALERTS_FILE: alertsFile(dir, [{ match: {}, contacts: ['brief'] }]), MCU_TELEGRAM_API_ROOT: bot.url } : {};
	const server = await startBenchServer(env);
	const poster = new Poster(server.url, server.ingestToken, 4);
	try {
		for (let i = 0; i < 3; i++) await poster.post(ndjsonBatch(1000).body, 'application/x-ndjson');
		let accepted = 0;
		const t0 = performance.now();
		const end = t0 + seconds * 1000;
		await Promise.all(
			Array.from({ length: 4 }, async () => {
				while (performance.now() < end) {
					const r = await poster.post(ndjsonBatch(1000).body, 'application/x-ndjson');
					if (r.status === 202) accepted += (JSON.parse(r.body) as { accepted: number }).accepted;
				}
			})
		);
		return accepted / ((performance.now() - t0) / 1000);
	} finally {
		poster.close();
		await server.stop();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

/** One mode's runs: mean, range and relative spread ((max − min) / mean) of incidents a second. */
function spreadOf(xs: number[]): { mean: number; min: number; max: number; spread: number } {
	const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
	return { mean: Math.round(mean), min: Math.min(...xs), max: Math.max(...xs), spread: round((Math.max(...xs) - Math.min(...xs)) / mean, 3) };
}

/**
 * Ingest with alerting off and on, alternated (off, on, off, on…) so a drift of the machine's load hits
 * both alike. The difference counts as measurable only when it exceeds the run-to-run spread of either mode.
 */
async function ingestOnOff(bot: BotApi, seconds: number, pairs: number) {
	const runs: { alerts: boolean; per_s: number }[] = [];
	for (let i = 0; i < pairs; i++) for (const on of [false, true]) runs.push({ alerts: on, per_s: Math.round(await throughput(bot, seconds, on)) });
	printTable('ingest throughput, incidents/s (alternated)', runs);
	const off = spreadOf(runs.filter((r) => !r.alerts).map((r) => r.per_s));
	const on = spreadOf(runs.filter((r) => r.alerts).map((r) => r.per_s));
	const difference = round((on.mean - off.mean) / off.mean, 3);
	const noise = Math.max(off.spread, on.spread);
	printTable('ingest, alerting on against off', [
		{ mode: 'off', ...off },
		{ mode: 'on', ...on },
		{ mode: 'on − off', mean: on.mean - off.mean, spread: `${difference} of off (run-to-run spread ${noise})` }
	]);
	return { seconds_per_run: seconds, runs, off, on, on_vs_off: round(on.mean / off.mean, 3), difference, run_to_run_spread: noise, no_measurable_difference: Math.abs(difference) <= noise };
}

export async function run(opts: BenchOptions = DEFAULTS): Promise<Record<string, unknown>> {
	const bot = await startBotApi();
	try {
		const detection = await detectionToTelegram(bot, opts.quick ? 4 : 12);
		const outage = await killRounds(bot, 5, false);
		const midSend = await killRounds(bot, 5, true);
		printTable('SIGKILL × 5', [
			{ phase: 'Telegram down (502)', ...outage },
			{ phase: 'Telegram slow (300 ms)', ...midSend }
		]);
		const seconds = opts.quick ? 4 : 10;
		const ingest = await ingestOnOff(bot, seconds, opts.quick ? 2 : 3);
		return {
			detection,
			kill_outage: outage,
			kill_mid_send: midSend,
			ingest,
			targets: { detection_p99_le_5s: detection.target_p99_le_5s, lost_0: outage.lost === 0, ingest_no_measurable_difference: ingest.no_measurable_difference }
		};
	} finally {
		await bot.close();
	}
}
