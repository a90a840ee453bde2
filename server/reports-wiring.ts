/** Connects the weekly report archive (server/reports) to the application. */
import type http from 'node:http';
import type { AppServices } from './services.ts';

/** What the reports need of the application. */
export type ReportsDeps = Pick<AppServices, 'store' | 'cityPublic' | 'config' | 'now' | 'log'>;
import { ReportService } from './reports/service.ts';
import { setReportPages } from '../src/lib/reports/context.ts';

/** Where the headless browser finds this process's pages: the bound port on loopback. */
function localBaseUrl(services: ReportsDeps, server: http.Server | undefined): string {
	const addr = server?.address();
	const port = typeof addr === 'object' && addr ? addr.port : services.config.port;
	return `http://127.0.0.1:${port}`;
}

export async function createReports(services: ReportsDeps, server?: http.Server): Promise<{ service: ReportService; stop: () => Promise<void> }> {
	const service = new ReportService({
		store: services.store,
		city: services.cityPublic,
		config: services.config,
		baseUrl: () => localBaseUrl(services, server),
		now: services.now,
		log: services.log
	});
	setReportPages(service);
	if (services.config.reportsEnabled) service.start();
	return {
		service,
		stop: async () => {
			await service.stop();
			setReportPages(null);
		}
	};
}
