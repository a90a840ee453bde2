/**
 * Pull to refresh for touch screens: pulling the list down from its top past a threshold refreshes it.
 * A plain button does the same for anyone who does not pull (no gesture-only controls).
 */
import type { Attachment } from 'svelte/attachments';

export class PullToRefresh {
	/** How far the list is pulled, in CSS pixels (damped). */
	distance = $state(0);
	refreshing = $state(false);

	constructor(
		private readonly refresh: () => Promise<void>,
		readonly threshold = 70
	) {}

	get armed(): boolean {
		return this.distance >= this.threshold;
	}

	async run(): Promise<void> {
		if (this.refreshing) return;
		this.refreshing = true;
		try {
			await this.refresh();
		} finally {
			this.refreshing = false;
		}
	}

	attach: Attachment<HTMLElement> = (node) => {
		let startY: number | null = null;
		// At the top means: the window and every scrolled box between the finger and this element.
		const atTop = (target: EventTarget | null) => {
			for (let el = target instanceof Element ? target : null; el && el !== node.parentElement; el = el.parentElement) {
				if (el.scrollTop > 0) return false;
			}
			return window.scrollY <= 0;
		};
		// A finger on the map pans the map, never the page.
		const onMap = (target: EventTarget | null) => target instanceof Element && target.closest('.leaflet-container') !== null;
		const start = (e: TouchEvent) => {
			startY = e.touches.length === 1 && !onMap(e.target) && atTop(e.target) && !this.refreshing ? e.touches[0]!.clientY : null;
		};
		const move = (e: TouchEvent) => {
			if (startY === null) return;
			const dy = e.touches[0]!.clientY - startY;
			if (dy <= 0) {
				this.distance = 0;
				return;
			}
			// Damped like native lists; the page itself does not scroll while pulling.
			this.distance = Math.min(dy * 0.5, this.threshold * 1.6);
			if (e.cancelable) e.preventDefault();
		};
		const end = () => {
			const fire = this.armed;
			startY = null;
			this.distance = 0;
			if (fire) void this.run();
		};
		node.addEventListener('touchstart', start, { passive: true });
		node.addEventListener('touchmove', move, { passive: false });
		node.addEventListener('touchend', end);
		node.addEventListener('touchcancel', end);
		return () => {
			node.removeEventListener('touchstart', start);
			node.removeEventListener('touchmove', move);
			node.removeEventListener('touchend', end);
			node.removeEventListener('touchcancel', end);
		};
	};
}

/** Calls `fn` whenever the element comes near the viewport: the infinite scroll's sentinel. */
export function whenVisible(fn: () => void): Attachment<HTMLElement> {
	return (node) => {
		const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && fn(), { rootMargin: '400px 0px' });
		io.observe(node);
		return () => io.disconnect();
	};
}
