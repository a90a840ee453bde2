/**
 * Command-line options of `npm run bench`, handed to every benchmark's `run(options)` (benchmarks that
 * take no options simply ignore them).
 */
export interface BenchOptions {
	/** Names (or name prefixes) of the benchmarks to run; empty = all. */
	select: string[];
	/** Soak length in minutes. */
	soakMinutes: number;
	/** Soak load: incidents a second, and wall clients. */
	soakRate: number;
	soakClients: number;
	/** Sustained ingest length in seconds. */
	ingestSeconds: number;
	/** Snapshot-query scales in incidents, e.g. [1e6, 1e7]. */
	scales: number[];
	/** Skip the PostgreSQL side of the snapshot benchmark. */
	noPostgres: boolean;
	/** Shorter phases everywhere: for trying the suite out, not for figures. */
	quick: boolean;
	/** Also write every result as one JSON document to this file. */
	out: string | null;
}

export const DEFAULTS: BenchOptions = {
	select: [],
	soakMinutes: 2,
	soakRate: 20,
	soakClients: 200,
	ingestSeconds: 30,
	scales: [1_000_000, 10_000_000],
	noPostgres: false,
	quick: false,
	out: null
};

export const USAGE = `npm run bench [-- [name…] [options]]
  name…                 benchmarks to run (prefixes work: "ingest latency"); default all
  --soak-minutes N      soak length (default 2; 360 for the six-hour run); --soak-hours N the same in hours
  --soak-rate R         soak incidents a second (default 20), or "10x": ten times Barnaul's real rate
  --soak-clients N      soak wall clients (default 200)
  --ingest-seconds N    sustained ingest length (default 30)
  --scales 1m,10m       snapshot-query scales (default 1m,10m)
  --no-postgres         snapshot queries in ClickHouse only
  --quick               short phases and a 100k scale: a smoke run, not figures
  --out FILE            also write all results as one JSON document
  --list                list the benchmarks and exit`;

/** Barnaul's incidents a year (server/simulate/profile.ts), for "Nx" soak rates. */
const BARNAUL_PER_YEAR = 11_000;

function soakRate(s: string): number {
	const m = /^(\d+(?:\.\d+)?)x$/i.exec(s.trim());
	const rate = m ? (Number(m[1]) * BARNAUL_PER_YEAR) / (365.25 * 86_400) : Number(s);
	if (!(rate > 0)) throw new Error(`bad --soak-rate "${s}" (incidents a second, or e.g. 10x)`);
	return rate;
}

function scale(s: string): number {
	const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(s.trim());
	if (!m) throw new Error(`bad scale "${s}" (use e.g. 100k, 1m, 10m)`);
	const mult = { '': 1, k: 1e3, m: 1e6 }[m[2]!.toLowerCase() as '' | 'k' | 'm'];
	return Math.round(Number(m[1]) * mult);
}

export function parseArgs(argv: string[]): BenchOptions & { list: boolean; help: boolean } {
	const o = { ...DEFAULTS, select: [] as string[], list: false, help: false };
	let scalesGiven = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i]!;
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		if (a === '--soak-minutes') o.soakMinutes = Number(value());
		else if (a === '--soak-hours') o.soakMinutes = Number(value()) * 60;
		else if (a === '--soak-rate') o.soakRate = soakRate(value());
		else if (a === '--soak-clients') o.soakClients = Number(value());
		else if (a === '--ingest-seconds') o.ingestSeconds = Number(value());
		else if (a === '--scales') {
			o.scales = value().split(',').map(scale);
			scalesGiven = true;
		} else if (a === '--no-postgres') o.noPostgres = true;
		else if (a === '--quick') o.quick = true;
		else if (a === '--out') o.out = value();
		else if (a === '--list') o.list = true;
		else if (a === '--help' || a === '-h') o.help = true;
		else if (a.startsWith('-')) throw new Error(`unknown option ${a}\n${USAGE}`);
		else o.select.push(a);
	}
	if (!(o.soakClients >= 1)) throw new Error('--soak-clients must be at least 1');
	if (!(o.soakMinutes > 0) || !(o.ingestSeconds > 0)) throw new Error('--soak-minutes and --ingest-seconds must be positive');
	if (o.quick) {
		o.ingestSeconds = Math.min(o.ingestSeconds, 8);
		o.soakMinutes = Math.min(o.soakMinutes, 0.5);
		if (!scalesGiven) o.scales = [100_000];
	}
	return o;
}
