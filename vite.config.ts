import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { realtimeDevPlugin } from './server/dev-plugin.ts';

export default defineConfig({
	plugins: [sveltekit(), realtimeDevPlugin()],
	// No bundler timing report: `npm start` prints the links, not build diagnostics.
	build: { chunkSizeWarningLimit: 1200, rolldownOptions: { checks: { bundlerTimings: false } } }
});
