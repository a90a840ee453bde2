/** Connects the weekly report archive (server/reports) to the application. */
import type { AppServices, ReportsHttp } from './services.ts';

export async function createReportsHttp(_services: AppServices): Promise<{ http: ReportsHttp; stop?: () => Promise<void> }> {
	return { http: { handle: async () => false } };
}
