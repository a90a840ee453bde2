import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';
import { realtimeDevPlugin } from './server/dev-plugin.ts';

export default defineConfig({
	plugins: [sveltekit(), realtimeDevPlugin()],
	build: { chunkSizeWarningLimit: 1200 }
});
