/** Expectation-based Poisson scan statistic (Neill 2005): the LLR of rate q·B (q > 1) against B. */
export function ebpScore(count: number, expected: number): number {
	if (count <= expected || expected <= 0) return 0;
	return count * Math.log(count / expected) + expected - count;
}
