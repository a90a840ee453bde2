/** The built-in demo (`MCU_DEMO=1`): a year of simulated history on an empty store, then live incidents. */
import type { Application } from './app.ts';
import type { Config } from './config.ts';
import { runDemo } from './simulate/index.ts';

export async function startDemo(app: Application, config: Config): Promise<void> {
	const { services } = app;
	const started = Date.now();
	const { backfill, live } = await runDemo({
		store: services.store,
		pipeline: services.pipeline,
		city: services.city,
		dataDir: config.dataDir,
		seed: config.demoSeed,
		speed: config.demoSpeed,
		now: services.now,
		log: services.log
	});
	if (backfill.backfilled) {
		services.log(
			`Demo: backfilled ${backfill.incidents} incidents and ${backfill.events} status events of the last year ` +
				`(${backfill.clusters} injected clusters) in ${((Date.now() - started) / 1000).toFixed(1)} s`
		);
		app.analytics.notifyIngest(new Set());
	}
	const pace =
		config.demoSpeed === null
			? 'an incident every 20–60 s, a cluster within minutes; MCU_DEMO_SPEED=1 gives the real rate'
			: `speed ×${config.demoSpeed} of the real rate`;
	services.log(`Demo: streaming simulated live incidents (${pace}); MCU_DEMO=0 turns it off`);
	app.onClose(() => live.stop());
}
