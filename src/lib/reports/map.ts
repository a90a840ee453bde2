/**
 * The report map as plain SVG paths: district polygons from the city pack and the week's hot H3 cells,
 * projected into a fixed box. Plain SVG rather than Leaflet: a printed page needs no tiles or panning,
 * and a vector map stays sharp in the PDF and is drawn as soon as the page is.
 */
import { cellToBoundary, cellToLatLng, isValidCell } from 'h3-js';
import type { DistrictBoundaries, DistrictFeature } from '../contract/city';
import type { ReportHotspotCell } from '../contract/reports';
import { projector, ringsOf, type LonLat } from '../map/projection';

export interface MapDistrict {
	code: string;
	name: string;
	d: string;
	label: { x: number; y: number };
	focus: boolean;
}

export interface MapCell {
	cell: string;
	d: string;
	/** 1-based rank, printed beside the cell and in the hotspot table. */
	rank: number;
	x: number;
	y: number;
	/** 0..1, the fill strength: count relative to the week's strongest cell. */
	weight: number;
}

export interface ReportMap {
	width: number;
	height: number;
	districts: MapDistrict[];
	cells: MapCell[];
}

function pathOf(rings: LonLat[][], project: (lon: number, lat: number) => [number, number]): string {
	return rings
		.map((ring) => ring.map(([lon, lat], i) => `${i === 0 ? 'M' : 'L'}${project(lon, lat).join(' ')}`).join('') + 'Z')
		.join('');
}

/**
 * Builds the map of the city (focus null) or of one district, framed on that district with its
 * neighbours drawn faintly around it.
 */
export function buildReportMap(
	boundaries: DistrictBoundaries,
	hotspots: readonly ReportHotspotCell[],
	focus: string | null,
	size: { width: number; height: number } = { width: 520, height: 400 }
): ReportMap {
	const features = boundaries.features;
	const framed = focus ? features.filter((f) => f.properties.code === focus) : features;
	const framePoints = (framed.length ? framed : features).flatMap((f) => ringsOf(f).flat() as LonLat[]);
	const cells = hotspots.filter((h) => isValidCell(h.cell));
	const cellRings = cells.map((h) => cellToBoundary(h.cell).map(([lat, lon]) => [lon, lat] as LonLat));
	const project = projector([...framePoints, ...cellRings.flat()], size.width, size.height, 12);
	const max = Math.max(1, ...cells.map((h) => h.count));
	return {
		width: size.width,
		height: size.height,
		districts: features.map((f) => {
			const pts = ringsOf(f).flat() as LonLat[];
			const lon = pts.reduce((a, p) => a + p[0], 0) / pts.length;
			const lat = pts.reduce((a, p) => a + p[1], 0) / pts.length;
			const [x, y] = project(lon, lat);
			return {
				code: f.properties.code,
				name: f.properties.name,
				d: pathOf(ringsOf(f) as LonLat[][], project),
				label: { x, y },
				focus: focus === null || f.properties.code === focus
			};
		}),
		cells: cells.map((h, i) => {
			const [lat, lon] = cellToLatLng(h.cell);
			const [x, y] = project(lon, lat);
			return { cell: h.cell, d: pathOf([cellRings[i]!], project), rank: i + 1, x, y, weight: h.count / max };
		})
	};
}
