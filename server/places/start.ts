/** Start-up of place identity: keys for rows stored before it, then the live repeat index warmed. */
import type { CityPack } from '../city/pack.ts';
import type { Store } from '../store/client.ts';
import { backfillPlaceKeys } from './backfill.ts';
import { RepeatIndex } from './repeat-index.ts';
import { repeatWindows } from './windows.ts';

export async function startPlaces(store: Store, city: CityPack, cluster: string | null, now: Date, log: (msg: string) => void): Promise<RepeatIndex> {
	await backfillPlaceKeys(store, { cityNames: [city.name], cluster, log });
	const index = new RepeatIndex(repeatWindows(city));
	await index.warm(store, now);
	return index;
}
