/** Scene rotation from the URL: `?scenes=overview,district:industrialny,response,repeats&every=60`. */

export type Scene = { kind: 'overview' } | { kind: 'district'; code: string } | { kind: 'response' } | { kind: 'repeats' };

export interface ScenePlan {
	scenes: Scene[];
	/** How long each scene stays, in milliseconds. */
	everyMs: number;
}

export const DEFAULT_EVERY_S = 60;
/** Shorter than this is unreadable from across the room. */
export const MIN_EVERY_S = 5;

/** Unknown scene names and districts are skipped; with nothing left the wall shows the overview. */
export function parseScenes(params: URLSearchParams, districtCodes: readonly string[]): ScenePlan {
	const known = new Set(districtCodes);
	const scenes: Scene[] = [];
	for (const raw of (params.get('scenes') ?? '').split(',')) {
		const name = raw.trim();
		if (name === 'overview' || name === 'response' || name === 'repeats') scenes.push({ kind: name });
		else if (name.startsWith('district:') && known.has(name.slice(9))) scenes.push({ kind: 'district', code: name.slice(9) });
	}
	const every = Number(params.get('every') ?? DEFAULT_EVERY_S);
	const seconds = Number.isFinite(every) ? Math.max(MIN_EVERY_S, every) : DEFAULT_EVERY_S;
	return { scenes: scenes.length > 0 ? scenes : [{ kind: 'overview' }], everyMs: seconds * 1000 };
}

export function sceneName(s: Scene): string {
	return s.kind === 'district' ? `district:${s.code}` : s.kind;
}
