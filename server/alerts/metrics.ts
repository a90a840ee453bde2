/**
 * Prometheus figures of outbound alerts on the process registry: deliveries waiting, and per contact
 * point the failures in a row (a contact down shows before anyone reads /admin). Read at scrape time from
 * the alert log; labels are the contact names of the alerts file (a handful).
 */
import { Gauge, type Registry } from 'prom-client';
import type { AlertsView } from './view.ts';

export function registerAlertMetrics(registry: Registry, view: () => AlertsView): void {
	new Gauge({
		name: 'mcu_alerts_pending',
		help: 'Outbound alert deliveries not yet sent (including those held for the morning digest)',
		registers: [registry],
		collect() {
			this.set(view().pending);
		}
	});
	new Gauge({
		name: 'mcu_alerts_contact_failures',
		help: 'Failed delivery attempts in a row per contact point (0 = healthy)',
		labelNames: ['contact'] as const,
		registers: [registry],
		collect() {
			this.reset();
			for (const c of view().contacts) this.set({ contact: c.name }, c.failures);
		}
	});
}
