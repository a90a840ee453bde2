/** The AMOC curve as an SVG: false-alarm episodes a week (x, log scale) against median minutes from the 5th post (y). */
export interface AmocSeries {
	name: string;
	points: { faPerWeek: number; delayMin: number | null; tau: number }[];
	/** The calibrated operating point. */
	chosen: { faPerWeek: number; delayMin: number | null; tau: number };
}

const COLORS = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22', '#393b79', '#637939'];

export function amocSvg(series: readonly AmocSeries[], title: string): string {
	const W = 820;
	const H = 520;
	const m = { l: 70, r: 220, t: 40, b: 60 };
	const xMin = 0.01;
	const xMax = 20;
	const yMax = 180;
	const yMin = -60;
	const x = (fa: number) => m.l + ((Math.log10(Math.max(fa, xMin)) - Math.log10(xMin)) / (Math.log10(xMax) - Math.log10(xMin))) * (W - m.l - m.r);
	const y = (d: number) => m.t + (1 - (Math.min(Math.max(d, yMin), yMax) - yMin) / (yMax - yMin)) * (H - m.t - m.b);
	const out: string[] = [];
	out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`);
	out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
	out.push(`<text x="${m.l}" y="22" font-size="15" font-weight="bold">${title}</text>`);
	for (const fa of [0.01, 0.1, 1, 10]) {
		out.push(`<line x1="${x(fa)}" y1="${m.t}" x2="${x(fa)}" y2="${H - m.b}" stroke="#ddd"/>`);
		out.push(`<text x="${x(fa)}" y="${H - m.b + 16}" text-anchor="middle">${fa}</text>`);
	}
	for (let d = yMin; d <= yMax; d += 30) {
		out.push(`<line x1="${m.l}" y1="${y(d)}" x2="${W - m.r}" y2="${y(d)}" stroke="${d === 0 ? '#999' : '#eee'}"/>`);
		out.push(`<text x="${m.l - 6}" y="${y(d) + 4}" text-anchor="end">${d}</text>`);
	}
	out.push(`<line x1="${x(1)}" y1="${m.t}" x2="${x(1)}" y2="${H - m.b}" stroke="#000" stroke-dasharray="4 3"/>`);
	out.push(`<line x1="${m.l}" y1="${y(60)}" x2="${W - m.r}" y2="${y(60)}" stroke="#000" stroke-dasharray="4 3"/>`);
	out.push(`<text x="${(m.l + W - m.r) / 2}" y="${H - 18}" text-anchor="middle">false-alarm episodes a week on the family's control data (log)</text>`);
	out.push(`<text x="18" y="${(m.t + H - m.b) / 2}" transform="rotate(-90 18 ${(m.t + H - m.b) / 2})" text-anchor="middle">median minutes from the 5th post to detection</text>`);
	series.forEach((s, k) => {
		const c = COLORS[k % COLORS.length]!;
		const pts = s.points.filter((p) => p.delayMin !== null).sort((a, b) => a.faPerWeek - b.faPerWeek);
		if (pts.length) out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${x(p.faPerWeek).toFixed(1)},${y(p.delayMin!).toFixed(1)}`).join(' ')}"/>`);
		if (s.chosen.delayMin !== null) out.push(`<circle cx="${x(s.chosen.faPerWeek)}" cy="${y(s.chosen.delayMin)}" r="5" fill="${c}" stroke="#000"/>`);
		out.push(`<rect x="${W - m.r + 14}" y="${m.t + k * 18}" width="12" height="12" fill="${c}"/>`);
		out.push(`<text x="${W - m.r + 32}" y="${m.t + k * 18 + 11}">${s.name} (τ ${s.chosen.tau})</text>`);
	});
	out.push(`<text x="${W - m.r + 14}" y="${m.t + series.length * 18 + 18}" fill="#555">● calibrated operating point</text>`);
	out.push('</svg>');
	return out.join('\n') + '\n';
}
