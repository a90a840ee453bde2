/**
 * Makes a city pack's *schematic* district boundaries (districts.geojson) from what is known without
 * official polygons: each district's centre and area, and a hand-drawn outline of the city territory
 * (outline.geojson: for Barnaul the east edge follows the Ob).
 *
 * Method: a power diagram (additively weighted Voronoi) of the district centres, clipped to the outline.
 * A point belongs to the district minimising |x − c_i|² − w_i; each cell is the outline cut by the
 * half-planes against every other centre, so cells are convex pieces that tile the outline exactly with
 * shared edges. The weights w_i are fitted so each cell's share of the outline equals the district's
 * share of the summed official areas.
 *
 * Run: node --import tsx scripts/make-districts.ts [city/barnaul]   (deterministic: same input, same file)
 */
import fs from 'node:fs';
import path from 'node:path';
import { localProjection, pointInGeometry, pointInRing, signedArea, type Ring } from '../server/city/geo.ts';

interface DistrictIn {
	code: string;
	name: string;
	area_km2: number;
	center: { lat: number; lon: number };
	places?: { name: string; lat: number; lon: number }[];
}

type Pt = [number, number];

/** Share of the squared centre distance a weight difference may use: keeps each centre well inside. */
const CENTRE_MARGIN = 0.5;

/** Keeps the part of a ring where n·x ≤ c (Sutherland–Hodgman against one half-plane). */
function clip(poly: Pt[], nx: number, ny: number, c: number): Pt[] {
	const out: Pt[] = [];
	const f = (p: Pt) => nx * p[0] + ny * p[1] - c;
	for (let i = 0; i < poly.length; i++) {
		const a = poly[i]!;
		const b = poly[(i + 1) % poly.length]!;
		const fa = f(a);
		const fb = f(b);
		if (fa <= 0) out.push(a);
		if ((fa < 0 && fb > 0) || (fa > 0 && fb < 0)) {
			const t = fa / (fa - fb);
			out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
		}
	}
	return out;
}

function powerCells(outline: Pt[], sites: Pt[], w: number[]): Pt[][] {
	return sites.map((pi, i) => {
		let cell = outline;
		sites.forEach((pj, j) => {
			if (j === i || cell.length === 0) return;
			// |x−pi|² − wi ≤ |x−pj|² − wj  ⇔  2(pj−pi)·x ≤ |pj|² − |pi|² + wi − wj
			const c = pj[0] ** 2 + pj[1] ** 2 - pi[0] ** 2 - pi[1] ** 2 + w[i]! - w[j]!;
			cell = clip(cell, 2 * (pj[0] - pi[0]), 2 * (pj[1] - pi[1]), c);
		});
		return cell;
	});
}

/**
 * Joins the convex pieces of one district into polygons: edges shared by two pieces run both ways and
 * cancel; what is left chains into rings. Vertices closer than ~1 cm are treated as one.
 */
function mergePieces(pieces: Pt[][]): Ring[][] {
	const verts: Pt[] = [];
	const id = (p: Pt): number => {
		const k = verts.findIndex((v) => Math.abs(v[0] - p[0]) < 2e-7 && Math.abs(v[1] - p[1]) < 2e-7);
		return k >= 0 ? k : verts.push(p) - 1;
	};
	const edges = new Map<string, [number, number]>();
	for (const piece of pieces) {
		const ring = signedArea(piece) < 0 ? [...piece].reverse() : piece;
		const ids = ring.map(id);
		ids.forEach((a, k) => {
			const b = ids[(k + 1) % ids.length]!;
			if (a === b) return;
			const back = `${b}>${a}`;
			if (edges.has(back)) edges.delete(back);
			else edges.set(`${a}>${b}`, [a, b]);
		});
	}
	const next = new Map<number, number[]>();
	for (const [a, b] of edges.values()) next.set(a, [...(next.get(a) ?? []), b]);
	const rings: Ring[] = [];
	for (;;) {
		const start = [...next.keys()].find((k) => next.get(k)!.length > 0);
		if (start === undefined) break;
		const ring: Ring = [];
		let cur = start;
		do {
			ring.push([...verts[cur]!]);
			cur = next.get(cur)!.shift()!;
		} while (cur !== start && cur !== undefined);
		ring.push([...ring[0]!]);
		rings.push(dropCollinear(ring));
	}
	const outers = rings.filter((r) => signedArea(r) > 0).map((r) => [r]);
	for (const hole of rings.filter((r) => signedArea(r) < 0)) {
		outers.find((o) => pointInRing(hole[0]![0]!, hole[0]![1]!, o[0]!))?.push(hole);
	}
	return outers;
}

/** Removes vertices lying on the straight line through their neighbours (left where pieces met). */
function dropCollinear(ring: Ring): Ring {
	const open = ring.slice(0, -1);
	const keep = open.filter((p, k) => {
		const a = open[(k - 1 + open.length) % open.length]!;
		const b = open[(k + 1) % open.length]!;
		const cross = (p[0]! - a[0]!) * (b[1]! - a[1]!) - (p[1]! - a[1]!) * (b[0]! - a[0]!);
		return Math.abs(cross) > 1e-12;
	});
	return [...keep, [...keep[0]!]];
}

function main(): void {
	const dir = path.resolve(process.argv[2] ?? 'city/barnaul');
	const city = JSON.parse(fs.readFileSync(path.join(dir, 'city.json'), 'utf8')) as {
		center: { lat: number; lon: number };
		districts: DistrictIn[];
	};
	const outlineFeature = JSON.parse(fs.readFileSync(path.join(dir, 'outline.geojson'), 'utf8')) as {
		geometry: { coordinates: number[][][] };
	};
	const proj = localProjection(city.center.lat, city.center.lon);
	const outerLonLat = outlineFeature.geometry.coordinates[0]!.slice(0, -1);
	const outline = outerLonLat.map(([lon, lat]) => proj.toKm(lon!, lat!));
	const outlineArea = Math.abs(signedArea(outline));
	// Generators: each district's centre and each of its settlements with a known point, all sharing
	// the district's weight; a district is the union of its generators' cells.
	const sites = city.districts.flatMap((d, i) => [
		{ district: i, p: proj.toKm(d.center.lon, d.center.lat) },
		...(d.places ?? []).map((pl) => ({ district: i, p: proj.toKm(pl.lon, pl.lat) }))
	]);
	const areaSum = city.districts.reduce((s, d) => s + d.area_km2, 0);
	const target = city.districts.map((d) => (d.area_km2 / areaSum) * outlineArea);

	// Fixed-point iteration on the weights: grow a district that is too small, shrink one too large.
	// The known centres are rough, and a small district squeezed between large ones would lose its own
	// centre to a neighbour; so weights stay where every generator keeps a margin inside its own cell
	// (s is in its cell iff w_j − w_i ≤ |s − t|² for every generator t of another district j), and areas
	// are matched as closely as that allows. The script prints the achieved areas.
	const n = city.districts.length;
	const w = new Array<number>(n).fill(0);
	const siteWeights = () => sites.map((s) => w[s.district]!);
	const districtAreas = (cells: Pt[][]) => {
		const a = new Array<number>(n).fill(0);
		cells.forEach((c, k) => (a[sites[k]!.district]! += c.length ? Math.abs(signedArea(c)) : 0));
		return a;
	};
	let cells = powerCells(outline, sites.map((s) => s.p), siteWeights());
	let iter = 0;
	for (; iter < 20000; iter++) {
		const areas = districtAreas(cells);
		areas.forEach((a, i) => (w[i]! += 0.1 * (target[i]! - a)));
		for (let pass = 0; pass < 10; pass++) {
			for (const s of sites) {
				for (const t of sites) {
					if (s.district === t.district) continue;
					const d2 = (s.p[0] - t.p[0]) ** 2 + (s.p[1] - t.p[1]) ** 2;
					const excess = w[t.district]! - w[s.district]! - CENTRE_MARGIN * d2;
					if (excess > 0) {
						w[t.district]! -= excess / 2;
						w[s.district]! += excess / 2;
					}
				}
			}
		}
		const next = powerCells(outline, sites.map((s) => s.p), siteWeights());
		const after = districtAreas(next);
		cells = next;
		if (Math.max(...after.map((a, i) => Math.abs(a - areas[i]!))) < 1e-6) break;
	}
	const finalAreas = districtAreas(cells);

	const round = (v: number) => Math.round(v * 1e6) / 1e6;
	const features = city.districts.map((d, i) => {
		const pieces = cells
			.filter((c, k) => sites[k]!.district === i && c.length >= 3)
			.map((c) => c.map(([x, y]) => proj.toLonLat(x, y).map(round) as Pt));
		const polygons = mergePieces(pieces);
		return {
			type: 'Feature' as const,
			properties: {
				code: d.code,
				name: d.name,
				schematic: true,
				area_km2: Math.round(finalAreas[i]! * 10) / 10,
				official_area_km2: d.area_km2
			},
			geometry:
				polygons.length === 1
					? { type: 'Polygon' as const, coordinates: polygons[0]! }
					: { type: 'MultiPolygon' as const, coordinates: polygons }
		};
	});
	const out = {
		type: 'FeatureCollection',
		schematic: true,
		method:
			'Schematic, not official: power diagram (weighted Voronoi) of district centres clipped to a hand-drawn city outline (east edge along the Ob), weights fitted so each district has its share of the summed official areas. Made by scripts/make-districts.ts; see README.md.',
		features
	};
	fs.writeFileSync(path.join(dir, 'districts.geojson'), JSON.stringify(out) + '\n');

	console.log(`converged after ${iter} iterations`);
	console.log(`outline ${outlineArea.toFixed(1)} km², official districts sum ${areaSum.toFixed(1)} km²`);
	for (const f of features) console.log(`${f.properties.code.padEnd(18)} ${f.properties.area_km2} km² (target share of ${f.properties.official_area_km2})`);
	for (const d of city.districts) {
		for (const p of [{ name: `${d.name} (centre)`, ...d.center }, ...(d.places ?? [])]) {
			const hit = features.find((f) => pointInGeometry(p.lon, p.lat, f.geometry));
			console.log(`${p.name}: listed in ${d.code}, falls in ${hit?.properties.code ?? 'none'}`);
		}
	}
}

main();
