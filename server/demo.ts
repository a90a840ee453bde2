/** The built-in demo: a year of simulated history on an empty store, then live incidents. */
import type { Application } from './app.ts';
import type { Config } from './config.ts';

export async function startDemo(_app: Application, _config: Config): Promise<void> {
	// Wired to server/simulate once the simulator lands.
}
