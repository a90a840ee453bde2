import { defineConfig } from 'vitest/config';

// Tests that open the embedded engine run in forked processes: libchdb binds one data directory per
// process, so each test file gets its own process and its own temporary directory.
export default defineConfig({
	test: {
		include: ['tests/**/*.test.ts'],
		pool: 'forks',
		maxWorkers: 2,
		testTimeout: 60_000,
		hookTimeout: 120_000,
		expect: { requireAssertions: true }
	}
});
