/**
 * `{@attach wallMap(...)}`: loads Leaflet in the browser only, creates the map once, feeds it updates in
 * place, and removes it with the element.
 */
import type { Attachment } from 'svelte/attachments';
import type { IncidentView } from '../contract/incident';
import type { WallMapOptions } from './options';
import type { WallMapController, WallMapInput } from './wall-map';

export function wallMap(
	input: () => WallMapInput,
	subscribe: (fn: (i: IncidentView) => void) => () => void,
	opts: { options?: WallMapOptions; onready?: (c: WallMapController | null) => void } = {}
): Attachment<HTMLElement> {
	return (node) => {
		let controller = $state.raw<WallMapController | null>(null);
		let gone = false;
		let unsubscribe = () => {};

		void Promise.all([import('leaflet'), import('./wall-map')]).then(([leaflet, { WallMapController }]) => {
			if (gone) return;
			const c = new WallMapController(leaflet.default, node, input(), opts.options);
			unsubscribe = subscribe((i) => c.pulse(i));
			controller = c;
			opts.onready?.(c);
		});

		$effect(() => {
			const next = input();
			controller?.update(next);
		});

		return () => {
			gone = true;
			unsubscribe();
			controller?.destroy();
			opts.onready?.(null);
		};
	};
}
