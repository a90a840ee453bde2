/**
 * The weekly report service: a queue that makes one report at a time (numbers from the store, then the
 * print pages rendered in Chromium), the archive it writes to, and the schedule that feeds it.
 * Rendering failures (no browser, say) mark that report failed and leave the rest of the product alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CityPublic } from '../../src/lib/contract/city.ts';
import type { ReportData, ReportMeta } from '../../src/lib/contract/reports.ts';
import type { Scope } from '../../src/lib/contract/roles.ts';
import type { ReportPages } from '../../src/lib/reports/context.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store/client.ts';
import { ReportArchive, districtPdfName } from './archive.ts';
import { buildReportData } from './data.ts';
import { findChromium, renderReport } from './render.ts';
import { ReportSchedule } from './schedule.ts';
import { PrintTickets } from './ticket.ts';
import { parseWeek, type IsoWeek } from './week.ts';

export type ReportFile = 'report.pdf' | 'overview.png';

export class ReportRequestError extends Error {
	constructor(
		readonly status: 400 | 409,
		readonly code: string,
		message: string
	) {
		super(message);
	}
}

export interface ReportServiceDeps {
	store: Store;
	city: CityPublic;
	config: Pick<Config, 'dataDir' | 'tz' | 'chromiumPath' | 'reportCron'>;
	/** Where the headless browser reaches this process's pages, e.g. `http://127.0.0.1:3000`. */
	baseUrl: () => string;
	now?: () => Date;
	log?: (msg: string) => void;
}

export class ReportService implements ReportPages {
	readonly archive: ReportArchive;
	readonly city: CityPublic;
	readonly tz: string;
	readonly #tickets: PrintTickets;
	readonly #now: () => Date;
	readonly #log: (msg: string) => void;
	/** The generation queue: each job starts when the one before it has settled. */
	#queue: Promise<void> = Promise.resolve();
	#schedule: ReportSchedule | null = null;
	#missedTimer: NodeJS.Timeout | null = null;

	constructor(private readonly deps: ReportServiceDeps) {
		this.archive = new ReportArchive(path.join(deps.config.dataDir, 'reports'));
		this.city = deps.city;
		this.tz = deps.config.tz;
		this.#now = deps.now ?? (() => new Date());
		this.#log = deps.log ?? (() => {});
		this.#tickets = new PrintTickets(this.#now);
		// Jobs of a process that stopped mid-way will not finish: say so instead of showing them as pending.
		for (const m of this.archive.list()) {
			if (m.status === 'queued' || m.status === 'running') {
				this.archive.writeMeta({ ...m, status: 'failed', error: 'Interrupted by a restart' });
			}
		}
	}

	/** Reports of the scope's view: a district reader sees finished reports with its own PDF only. */
	list(scope: Scope): ReportMeta[] {
		const all = this.archive.list();
		if (scope.district === null) return all;
		const own = districtPdfName(scope.district);
		return all
			.filter((m) => m.status === 'done' && own in m.sizes)
			.map((m) => ({ ...m, pages: 1, sizes: { 'report.pdf': m.sizes[own] ?? 0 } }));
	}

	get(id: string): ReportMeta | null {
		return this.archive.readMeta(id);
	}

	data(id: string): ReportData | null {
		return this.archive.readData(id);
	}

	/** The file a reader of `scope` gets for `name`: a district reader's `report.pdf` is its district's page. */
	filePath(id: string, name: ReportFile, scope: Scope): string | null {
		const meta = this.get(id);
		if (!meta || meta.status !== 'done') return null;
		let file: string = name;
		if (scope.district !== null) {
			if (name !== 'report.pdf') return null;
			file = districtPdfName(scope.district);
		}
		return meta.sizes[file] !== undefined ? this.archive.file(id, file) : null;
	}

	verifyTicket(id: string, exp: string | null, sig: string | null): boolean {
		return this.#tickets.verify(id, exp, sig);
	}

	/**
	 * Queues the report of a finished week and returns its id at once (the HTTP answer is 202).
	 * A week already queued or being made returns that report's id instead of a second job.
	 */
	request(week: string, trigger: ReportMeta['trigger'] = 'request'): string {
		const w = parseWeek(week, this.tz);
		if (!w) throw new ReportRequestError(400, 'invalid', `"${week}" is not an ISO week like 2024-W10`);
		if (w.end.getTime() > this.#now().getTime()) {
			throw new ReportRequestError(409, 'week_not_over', `Week ${week} has not ended yet in ${this.tz}`);
		}
		const pending = this.archive.list().find((m) => m.week === w.week && (m.status === 'queued' || m.status === 'running'));
		if (pending) return pending.id;
		const created = this.#now();
		const meta: ReportMeta = {
			id: this.archive.newId(w.week, created),
			week: w.week,
			from: w.days[0] ?? '',
			to: w.days[6] ?? '',
			created_at: created.toISOString(),
			trigger,
			status: 'queued',
			duration_ms: null,
			pages: null,
			sizes: {},
			error: null
		};
		this.archive.writeMeta(meta);
		this.#queue = this.#queue.then(() => this.#generate(meta, w));
		return meta.id;
	}

	/** Resolves when every queued report has been made (or has failed). */
	idle(): Promise<void> {
		return this.#queue;
	}

	/**
	 * Starts the schedule. A scheduled report missed while the process was down is made after
	 * `missedRunDelayMs`, so a backfill or spool replay running at start-up lands in it first.
	 */
	start(opts: { missedRunDelayMs?: number } = {}): void {
		this.#schedule = new ReportSchedule(this.deps.config.reportCron, this.tz, (w) => this.#scheduled(w), this.#now);
		const missed = this.#schedule.start();
		if (!missed) return;
		this.#missedTimer = setTimeout(() => this.#scheduled(missed), opts.missedRunDelayMs ?? 60_000);
		this.#missedTimer.unref();
	}

	async stop(): Promise<void> {
		this.#schedule?.stop();
		if (this.#missedTimer) clearTimeout(this.#missedTimer);
		await this.#queue;
	}

	/** One report per week from the schedule: skipped when one is made, queued or running already. */
	#scheduled(w: IsoWeek): void {
		if (this.archive.list().some((m) => m.week === w.week && m.status !== 'failed')) return;
		this.request(w.week, 'schedule');
	}

	#printUrl(id: string, only: string | null): string {
		const { exp, sig } = this.#tickets.issue(id);
		const q = new URLSearchParams({ exp, sig });
		if (only) q.set('only', only);
		return `${this.deps.baseUrl()}/print/${id}?${q}`;
	}

	async #generate(meta: ReportMeta, w: IsoWeek): Promise<void> {
		const t0 = performance.now();
		this.archive.writeMeta({ ...meta, status: 'running' });
		try {
			const executablePath = findChromium(this.deps.config.chromiumPath);
			const data = await buildReportData(this.deps.store, this.city, w, this.tz);
			this.archive.writeData(meta.id, data);
			const outDir = this.archive.dir(meta.id);
			const result = await renderReport({
				executablePath,
				url: (only) => this.#printUrl(meta.id, only),
				districts: this.city.districts.map((d) => d.code),
				outDir,
				tz: this.tz
			});
			const sizes = Object.fromEntries(result.files.map((f) => [f, fs.statSync(path.join(outDir, f)).size]));
			const duration = Math.round(performance.now() - t0);
			this.archive.writeMeta({ ...meta, status: 'done', duration_ms: duration, pages: result.pages, sizes });
			this.#log(`reports: ${meta.week} made in ${duration} ms (${meta.id})`);
		} catch (e) {
			const error = e instanceof Error ? e.message : String(e);
			this.archive.writeMeta({ ...meta, status: 'failed', duration_ms: Math.round(performance.now() - t0), error });
			this.#log(`reports: ${meta.week} failed: ${error}`);
		}
	}
}
