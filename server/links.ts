/** The ready-to-open links printed at start. */
import type { Config } from './config.ts';
import type { Application } from './app.ts';

export function baseUrl(config: Config, port: number): string {
	if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
	const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
	return `http://${host}:${port}`;
}

export function printLinks(config: Config, port: number, app: Application): void {
	const base = baseUrl(config, port);
	const t = app.tokens;
	const lines = [`MCU Pulse is running at ${base}`];
	if (config.tokensFile) {
		lines.push(`Tokens come from ${config.tokensFile}; open /wall?token=… with a wall or admin token.`);
	} else {
		lines.push(`  wall:     ${base}/wall?token=${t.wall}`);
		for (const [code, token] of Object.entries(t.districts)) lines.push(`  district: ${base}/district/${code}?token=${token}`);
		lines.push(`  reports:  ${base}/reports?token=${t.admin}`);
		lines.push(`  admin:    ${base}/admin?token=${t.admin}`);
		lines.push(`  ingest token (Authorization: Bearer …): ${t.ingest}`);
		lines.push(`Demo tokens are kept in ${config.dataDir}/tokens.json`);
	}
	// The links are the start-up's answer to the person who ran it, not a log line.
	process.stdout.write(lines.join('\n') + '\n');
}
