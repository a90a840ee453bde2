// See https://svelte.dev/docs/kit/types#app.d.ts
import type { Principal } from '$lib/contract/roles';

declare global {
	namespace App {
		interface Error {
			message: string;
			code?: string;
		}
		interface Locals {
			principal: Principal | null;
		}
	}
}

export {};
