/** Prometheus metrics of the process (`GET /metrics`), on a registry of our own. */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
	readonly registry = new Registry();
	readonly ingestItems = new Counter({
		name: 'mcu_ingest_items_total',
		help: 'Ingested items by kind and outcome',
		labelNames: ['kind', 'outcome'] as const,
		registers: [this.registry]
	});
	readonly ingestRequests = new Counter({
		name: 'mcu_ingest_requests_total',
		help: 'Ingest HTTP requests by route and status',
		labelNames: ['route', 'status'] as const,
		registers: [this.registry]
	});
	readonly batchSize = new Histogram({
		name: 'mcu_ingest_batch_rows',
		help: 'Rows per micro-batch written to the store or spool',
		labelNames: ['kind'] as const,
		buckets: [1, 5, 20, 100, 500, 1000, 5000, 20000, 50000],
		registers: [this.registry]
	});
	readonly spoolEntries = new Gauge({ name: 'mcu_spool_entries', help: 'Batches waiting in the spool', registers: [this.registry] });
	readonly spoolBytes = new Gauge({ name: 'mcu_spool_bytes', help: 'Bytes waiting in the spool', registers: [this.registry] });
	readonly storeUp = new Gauge({ name: 'mcu_store_up', help: '1 when the store accepts writes', registers: [this.registry] });
	readonly sockets = new Gauge({ name: 'mcu_live_sockets', help: 'Connected live sockets', labelNames: ['scope'] as const, registers: [this.registry] });
	readonly queryDuration = new Histogram({
		name: 'mcu_query_duration_seconds',
		help: 'Store query latency by query name',
		labelNames: ['query'] as const,
		buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
		registers: [this.registry]
	});

	readonly hotspotThreshold = new Gauge({
		name: 'mcu_hotspot_threshold',
		help: 'Hotspot alarm threshold (EBP log-likelihood ratio) chosen by the last calibration, by kind',
		labelNames: ['kind'] as const,
		registers: [this.registry]
	});
	readonly hotspotBudget = new Gauge({
		name: 'mcu_hotspot_budget_per_week',
		help: 'False-alarm episodes a week allowed to each hotspot kind by the last calibration (cold start scales it down)',
		labelNames: ['kind'] as const,
		registers: [this.registry]
	});
	readonly hotspotHistoryDays = new Gauge({ name: 'mcu_hotspot_history_days', help: 'Days of history the last hotspot calibration saw', registers: [this.registry] });
	readonly hotspotCalibratedAt = new Gauge({ name: 'mcu_hotspot_calibrated_timestamp_seconds', help: 'When the hotspot thresholds were last calibrated', registers: [this.registry] });

	/** The thresholds a hotspot calibration chose (two kinds: bounded labels). */
	hotspotCalibrated(c: { local: number; surge: number; historyDays: number; budgetPerWeek: { local: number; surge: number } }, at: Date): void {
		this.hotspotThreshold.set({ kind: 'local' }, c.local);
		this.hotspotThreshold.set({ kind: 'surge' }, c.surge);
		this.hotspotBudget.set({ kind: 'local' }, c.budgetPerWeek.local);
		this.hotspotBudget.set({ kind: 'surge' }, c.budgetPerWeek.surge);
		this.hotspotHistoryDays.set(c.historyDays);
		this.hotspotCalibratedAt.set(at.getTime() / 1000);
	}

	constructor() {
		collectDefaultMetrics({ register: this.registry, prefix: 'mcu_process_' });
	}

	/** Times a named query. */
	async timeQuery<T>(name: string, run: () => Promise<T>): Promise<T> {
		const end = this.queryDuration.startTimer({ query: name });
		try {
			return await run();
		} finally {
			end();
		}
	}

	ingest(): IngestMetrics {
		return {
			batch: (kind, rows, accepted) => {
				this.batchSize.observe({ kind }, rows);
				this.ingestItems.inc({ kind, outcome: 'accepted' }, accepted);
			},
			spooled: (kind, rows) => this.ingestItems.inc({ kind, outcome: 'spooled' }, rows),
			replayed: (kind, rows) => this.ingestItems.inc({ kind, outcome: 'replayed' }, rows),
			rejected: (kind, rows) => this.ingestItems.inc({ kind, outcome: 'rejected_spool_full' }, rows)
		};
	}
}

export interface IngestMetrics {
	batch(kind: string, rows: number, accepted: number): void;
	spooled(kind: string, rows: number): void;
	replayed(kind: string, rows: number): void;
	rejected(kind: string, rows: number): void;
}
