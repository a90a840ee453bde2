/**
 * Start-up of place identity: keys for rows stored before it (waited for: a one-off, and lists must not
 * show half-keyed data), then the live repeat index warmed in the background — at 10 M incidents that
 * read takes seconds, and until it is done a pushed incident merely lacks a `repeat_of` it would have had
 * (observe() keeps the newer of what it sees and what the warm-up loads, so the order does not matter).
 */
import type { CityPack } from '../city/pack.ts';
import type { Store } from '../store/client.ts';
import { backfillPlaceKeys } from './backfill.ts';
import { RepeatIndex } from './repeat-index.ts';
import { repeatWindows } from './windows.ts';

export async function startPlaces(store: Store, city: CityPack, cluster: string | null, now: Date, log: (msg: string) => void): Promise<RepeatIndex> {
	await backfillPlaceKeys(store, { cityNames: [city.name], cluster, log });
	const index = new RepeatIndex(repeatWindows(city));
	void index.warm(store, now).catch((e: unknown) => log(`repeat index: warm-up failed, pushes carry repeat_of only for new places: ${(e as Error).message}`));
	return index;
}
