/**
 * When the weekly report is made: `MCU_REPORT_CRON` in the city's zone (default Monday 08:00), for the
 * week before the one the run falls in. At start the last scheduled time is looked up too, so a run
 * missed while the process was down is made then.
 */
import { Cron } from 'croner';
import { previousWeek, type IsoWeek } from './week.ts';

/** The week a run at `at` reports on. */
export function weekForRun(at: Date, tz: string): IsoWeek {
	return previousWeek(at, tz);
}

/** The most recent scheduled time at or before `now`, or null when the pattern never fired. */
export function lastScheduledRun(pattern: string, tz: string, now: Date): Date | null {
	const cron = new Cron(pattern, { timezone: tz, paused: true });
	try {
		return cron.previousRuns(1, now)[0] ?? null;
	} finally {
		cron.stop();
	}
}

export class ReportSchedule {
	#cron: Cron | null = null;

	constructor(
		private readonly pattern: string,
		private readonly tz: string,
		private readonly run: (week: IsoWeek) => void,
		private readonly now: () => Date = () => new Date()
	) {
		// Validates the pattern at construction, so a bad MCU_REPORT_CRON stops start-up with its message.
		new Cron(pattern, { timezone: tz, paused: true }).stop();
	}

	/** Starts the timer and returns the week a missed run should make now (the caller checks the archive). */
	start(): IsoWeek | null {
		this.#cron = new Cron(this.pattern, { timezone: this.tz, protect: true }, () => this.run(weekForRun(this.now(), this.tz)));
		const last = lastScheduledRun(this.pattern, this.tz, this.now());
		return last ? weekForRun(last, this.tz) : null;
	}

	next(): Date | null {
		return this.#cron?.nextRun() ?? null;
	}

	stop(): void {
		this.#cron?.stop();
		this.#cron = null;
	}
}
