/**
 * The Leaflet side of the wall map, kept thin: styles and shapes come from the pure modules beside it.
 * Canvas renderer throughout (thousands of shapes over a week). The wall has no interaction (nobody touches
 * it); a district tablet pans and pinch-zooms (`TABLET_MAP`).
 */
import type * as Leaflet from 'leaflet';
import type { CityPublic, DistrictFeature } from '../contract/city';
import type { IncidentView } from '../contract/incident';
import type { DistrictStats, Hotspot } from '../contract/snapshot';
import { formatDecimal } from '../format/number';
import { focusBounds } from './geometry';
import { PulseQueue, type Pulse } from './pulses';
import { WALL_MAP, type WallMapOptions } from './options';
import { districtStyle, hotspotStyle, pulseColor, pulseFrame, PULSE_MS } from './styles';

type L = typeof Leaflet;

export interface WallMapInput {
	city: CityPublic;
	districts: DistrictStats[];
	hotspots: Hotspot[];
	focus: string | null;
	tileUrl: string | null;
}

/** At most this many pulses are drawn at once: at 50 incidents a second that is the last second or two. */
export const MAX_PULSES = 80;
/** Pulses are redrawn at most this often: enough for a smooth ring, cheap on the main thread. */
const PULSE_FRAME_MS = 66;

export class WallMapController {
	private map: Leaflet.Map;
	private renderer: Leaflet.Canvas;
	/** Pulses get a canvas of their own: redrawing them 20 times a second must not redraw every polygon. */
	private pulseRenderer: Leaflet.Canvas;
	private hotspotRenderer: Leaflet.Canvas;
	private districtLayers = new Map<string, Leaflet.GeoJSON>();
	private districtLabels = new Map<string, HTMLElement>();
	private hotspotLayer: Leaflet.LayerGroup;
	private pulseLayer: Leaflet.LayerGroup;
	private pulses = new PulseQueue(MAX_PULSES, PULSE_MS);
	private pulseShapes = new Map<Pulse, Leaflet.CircleMarker>();
	private frame: number | null = null;
	private lastFrameAt = 0;
	private hotspotsKey = '';
	private hotspotsRun = 0;
	private focus: string | null = null;
	private pulseTotal = 0;
	private resizeObserver: ResizeObserver;
	/** Per hotspot: its cells' bounds, for the on-screen size the test hook reports. */
	private hotspotBounds: Leaflet.LatLngBounds[] = [];

	constructor(
		private readonly L: L,
		private readonly el: HTMLElement,
		private input: WallMapInput,
		private readonly options: WallMapOptions = WALL_MAP
	) {
		const interactive = options.interactive;
		this.renderer = L.canvas({ padding: 0.1 });
		this.map = L.map(el, {
			renderer: this.renderer,
			preferCanvas: true,
			zoomControl: false,
			attributionControl: input.tileUrl !== null,
			dragging: interactive,
			// A mouse wheel over a tablet page scrolls the page, never the map.
			scrollWheelZoom: false,
			doubleClickZoom: interactive,
			boxZoom: false,
			keyboard: false,
			touchZoom: interactive,
			bounceAtZoomLimits: false,
			maxZoom: 17,
			zoomSnap: 0.1,
			fadeAnimation: false,
			zoomAnimation: false,
			markerZoomAnimation: false
		});
		this.map.createPane('pulses').style.zIndex = '450';
		this.pulseRenderer = L.canvas({ padding: 0.1, pane: 'pulses' });
		// Hotspots above the district names (Leaflet's tooltip pane is at 650): a label must never hide one.
		this.map.createPane('hotspots').style.zIndex = '660';
		this.hotspotRenderer = L.canvas({ padding: 0.1, pane: 'hotspots' });
		if (input.tileUrl) L.tileLayer(input.tileUrl, { maxZoom: 18, attribution: '' }).addTo(this.map);
		this.drawDistricts(input.city.boundaries.features);
		this.hotspotLayer = L.layerGroup().addTo(this.map);
		this.pulseLayer = L.layerGroup().addTo(this.map);
		this.focus = input.focus;
		this.fit();
		this.update(input);
		// The wall may change size (a scene, a second screen): keep the city filling the map.
		this.resizeObserver = new ResizeObserver(() => {
			this.map.invalidateSize({ animate: false });
			this.fit();
		});
		this.resizeObserver.observe(el);
		this.map.on('moveend zoomend', () => this.report());
		this.report();
	}

	/** Back to the whole city or the district in focus (after a tablet user has panned or zoomed). */
	resetView(): void {
		this.fit();
	}

	update(input: WallMapInput): void {
		this.input = input;
		const stats = new Map(input.districts.map((d) => [d.code, d]));
		// a surge is shown as its shaded district (a city-wide one shades them all), not as cells
		const surged = new Set(input.hotspots.filter((h) => h.kind === 'surge').map((h) => h.district));
		for (const [code, layer] of this.districtLayers) {
			const s = stats.get(code);
			const surge = surged.has(null) || surged.has(code);
			layer.setStyle({ dashArray: '', ...districtStyle(s, input.focus === code, surge) });
			const tip = layer.getTooltip()?.getElement();
			if (tip && this.options.tablet) tip.style.display = input.focus === null || input.focus === code ? '' : 'none';
			const label = this.districtLabels.get(code);
			const tension = label?.querySelector('.tension');
			if (tension) tension.textContent = s ? `×${formatDecimal(s.tension)}` : '';
		}
		if (input.focus !== this.focus) {
			this.focus = input.focus;
			this.fit();
		}
		this.el.dataset.surges = String(surged.size);
		this.drawHotspots(input.hotspots.filter((h) => h.kind !== 'surge'));
	}

	/** A new incident: a ring at its place, if it has one. */
	pulse(i: IncidentView): void {
		if (i.lat === null || i.lon === null) return;
		const p: Pulse = { id: i.id, lat: i.lat, lon: i.lon, severity: i.severity, at: performance.now() };
		for (const old of this.pulses.add(p)) this.removePulse(old);
		const frame = pulseFrame(0, p.severity, this.scale())!;
		const shape = this.L.circleMarker([p.lat, p.lon], {
			renderer: this.pulseRenderer,
			pane: 'pulses',
			radius: frame.radius,
			color: pulseColor(p.severity),
			weight: 3,
			opacity: 1,
			fillOpacity: 0.35,
			interactive: false
		}).addTo(this.pulseLayer);
		this.pulseShapes.set(p, shape);
		this.pulseTotal++;
		this.el.dataset.pulseTotal = String(this.pulseTotal);
		this.el.dataset.lastPulse = i.id;
		this.el.dataset.pulses = String(this.pulses.size);
		this.frame ??= requestAnimationFrame((t) => this.animate(t));
	}

	destroy(): void {
		if (this.frame !== null) cancelAnimationFrame(this.frame);
		this.resizeObserver.disconnect();
		this.hotspotsRun++;
		this.map.remove();
	}

	private fit(): void {
		const { city } = this.input;
		const size = this.map.getSize();
		// A small map keeps most of its room for the polygons.
		const p = Math.min(this.options.padding, Math.floor(Math.min(size.x, size.y) / 8));
		this.map.fitBounds(focusBounds(city.boundaries, city.bbox, this.focus), { padding: [p, p], animate: false });
	}

	/**
	 * What the map shows, on the element's data attributes for tests and diagnostics: the zoom, the visible
	 * bounds, the focus polygons' box in container pixels and the smallest hotspot's size on screen.
	 */
	private report(): void {
		const m = this.map;
		const d = this.el.dataset;
		const fix = (n: number) => n.toFixed(5);
		const v = m.getBounds();
		d.zoom = m.getZoom().toFixed(2);
		d.view = [v.getSouth(), v.getWest(), v.getNorth(), v.getEast()].map(fix).join(',');
		const [[s, w], [n, e]] = focusBounds(this.input.city.boundaries, this.input.city.bbox, this.focus);
		const a = m.latLngToContainerPoint([n, w]);
		const b = m.latLngToContainerPoint([s, e]);
		d.focusPx = [a.x, a.y, b.x, b.y].map((x) => Math.round(x)).join(',');
		let min = Infinity;
		for (const hb of this.hotspotBounds) {
			const p = m.latLngToContainerPoint(hb.getNorthWest());
			const q = m.latLngToContainerPoint(hb.getSouthEast());
			const cells = Math.min(Math.abs(q.x - p.x), Math.abs(q.y - p.y)) + this.options.hotspotWeight;
			min = Math.min(min, Math.max(cells, this.options.hotspotRingPx));
		}
		if (Number.isFinite(min)) d.hotspotPx = String(Math.round(min));
		else delete d.hotspotPx;
	}

	/** Shapes grow with the screen: a 4K wall needs thicker rings than a laptop. */
	private scale(): number {
		return Math.max(1, this.el.clientHeight / 700);
	}

	private drawDistricts(features: DistrictFeature[]): void {
		for (const f of features) {
			const layer = this.L.geoJSON(f as GeoJSON.Feature, {
				style: () => districtStyle(undefined, false),
				interactive: false
			}).addTo(this.map);
			const label = document.createElement('div');
			const name = document.createElement('div');
			name.textContent = f.properties.name;
			const tension = document.createElement('div');
			tension.className = 'tension';
			label.append(name, tension);
			layer.bindTooltip(label, { permanent: true, direction: 'center', className: 'district-label', interactive: false });
			this.districtLayers.set(f.properties.code, layer);
			this.districtLabels.set(f.properties.code, label);
		}
		this.el.dataset.districts = String(this.districtLayers.size);
	}

	private drawHotspots(hotspots: Hotspot[]): void {
		const key = hotspots.map((h) => `${h.id}:${h.growing}:${h.cells.length}`).join('|');
		if (key === this.hotspotsKey) return;
		this.hotspotsKey = key;
		const run = ++this.hotspotsRun;
		if (hotspots.length === 0) {
			this.hotspotLayer.clearLayers();
			this.hotspotBounds = [];
			this.el.dataset.hotspotCells = '0';
			this.report();
			return;
		}
		void import('./hotspot-cells').then(({ hotspotShapes }) => {
			if (run !== this.hotspotsRun) return;
			this.hotspotLayer.clearLayers();
			this.hotspotBounds = [];
			let cells = 0;
			const { hotspotWeight, hotspotRingPx } = this.options;
			for (const shape of hotspotShapes(hotspots)) {
				const style = hotspotStyle(shape.hotspot, hotspotWeight);
				for (const ring of shape.rings) {
					this.L.polygon(ring, { ...style, renderer: this.hotspotRenderer, interactive: false }).addTo(this.hotspotLayer);
					cells++;
				}
				if (shape.rings.length > 0) this.hotspotBounds.push(this.L.latLngBounds(shape.rings.flat()));
				if (hotspotRingPx > 0) {
					const { lat, lon } = shape.hotspot.center;
					this.L.circleMarker([lat, lon], {
						renderer: this.hotspotRenderer,
						radius: (hotspotRingPx - hotspotWeight) / 2,
						color: style.color,
						weight: hotspotWeight,
						opacity: 1,
						fill: false,
						interactive: false
					}).addTo(this.hotspotLayer);
				}
			}
			this.el.dataset.hotspotCells = String(cells);
			this.report();
		});
	}

	private animate(t: number): void {
		this.frame = null;
		if (t - this.lastFrameAt >= PULSE_FRAME_MS) {
			this.lastFrameAt = t;
			for (const old of this.pulses.expire(t)) this.removePulse(old);
			const scale = this.scale();
			for (const p of this.pulses.all()) {
				const f = pulseFrame(t - p.at, p.severity, scale);
				const shape = this.pulseShapes.get(p);
				if (f && shape) {
					shape.setRadius(f.radius);
					shape.setStyle({ opacity: f.opacity, fillOpacity: 0.35 * f.opacity });
				}
			}
			this.el.dataset.pulses = String(this.pulses.size);
		}
		if (this.pulses.size > 0) this.frame = requestAnimationFrame((x) => this.animate(x));
	}

	private removePulse(p: Pulse): void {
		const shape = this.pulseShapes.get(p);
		if (shape) this.pulseLayer.removeLayer(shape);
		this.pulseShapes.delete(p);
	}
}
