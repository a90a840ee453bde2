/** Repost grouping (what counts once), with hand-worked shingles and containment. */
import { describe, expect, it } from 'vitest';
import { containment, groupPosts, normaliseText, shingles, type PostLike } from '../../server/analytics/hotspots/posts.ts';

const H = 3_600_000;
const T = Date.parse('2024-11-25T05:00:00Z');
let n = 0;
const p = (over: Partial<PostLike>): PostLike => ({ id: `p${++n}`, category: 'heating', createdAt: T, text: '', url: '', author: '', ...over });
const LONG = 'В доме по улице Попова 104 третий день нет отопления, в квартирах холодно, дети болеют';

describe('shingles and containment', () => {
	it('normalises case, ё, punctuation and links', () => {
		expect(normaliseText('  Ёлки-палки!!  https://vk.com/x Нет  ТЕПЛА ')).toBe('елки палки нет тепла');
	});
	it('counts 4-grams and the share of the shorter text found in the longer', () => {
		// "абвгд" → абвг, бвгд; "абвгде" → абвг, бвгд, вгде
		expect([...shingles('абвгд')]).toEqual(['абвг', 'бвгд']);
		expect(containment(shingles('абвгд'), shingles('абвгде'))).toBe(1);
		// "абвгд" vs "абвгж": абвг shared, бвгд vs бвгж not → 1/2
		expect(containment(shingles('абвгд'), shingles('абвгж'))).toBe(0.5);
		expect(containment(new Set(), shingles('абвгд'))).toBe(0);
	});
});

describe('groupPosts', () => {
	it('counts a repost storm as one post: prefixed copies and the same url', () => {
		const original = p({ text: LONG, url: 'https://vk.com/wall-1_1', author: 'a' });
		const copies = [
			p({ text: `Репост: ${LONG}`, author: 'b', createdAt: T + 0.2 * H }),
			p({ text: `${LONG} #барнаул`, author: 'c', createdAt: T + 0.4 * H }),
			p({ text: 'Смотрите что творится', url: 'https://vk.com/wall-1_1', author: 'd', createdAt: T + 0.5 * H })
		];
		const g = groupPosts([original, ...copies]);
		expect(new Set(g.values()).size).toBe(1);
		expect(g.get(copies[2]!.id)).toBe(original.id); // the earliest member names the group
	});

	it('keeps six residents with six texts as six posts, even with the same short words', () => {
		const texts = ['нет отопления', 'нет отопления', 'Батареи холодные с утра, звоню в УК, трубку не берут', 'У нас 15 градусов в спальне, ребёнок простыл, сколько можно ждать', 'Отопление отключили в воскресенье и до сих пор не включили, весь стояк', 'Жители дома 104 просят дать тепло, пенсионеры сидят в пальто'];
		const g = groupPosts(texts.map((text, k) => p({ text, author: `r${k}`, createdAt: T + k * 0.3 * H })));
		expect(new Set(g.values()).size).toBe(6);
	});

	it('counts one author posting again within 6 h once, and again after a longer gap', () => {
		const a = [0, 2, 7.5, 9].map((h, k) => p({ author: 'same', text: `текст номер ${k}`, createdAt: T + h * H }));
		const g = groupPosts(a);
		// 0 → 2 (2 h): one; 2 → 7.5 (5.5 h): still the chain; 7.5 → 9: the chain goes on
		expect(new Set(g.values()).size).toBe(1);
		const b = [0, 7].map((h, k) => p({ author: 'other', text: `ещё ${k}`, createdAt: T + h * H }));
		expect(new Set(groupPosts(b).values()).size).toBe(2);
	});

	it('keeps the same words from different houses apart, and joins a copy without an address to its original', () => {
		const houses = [100, 102, 104, 106].map((n, k) => p({ text: LONG, address: `ул. Попова, ${n}`, author: `h${k}`, createdAt: T + k * 0.2 * H }));
		expect(new Set(groupPosts(houses).values()).size).toBe(4);
		const copy = p({ text: `Репост: ${LONG}`, address: '', author: 'z', createdAt: T + H });
		const g = groupPosts([houses[0]!, copy]);
		expect(g.get(copy.id)).toBe(houses[0]!.id);
	});

	it('compares texts only within a category and within a day', () => {
		const a = p({ text: LONG, category: 'heating' });
		const b = p({ text: LONG, category: 'water' });
		const c = p({ text: LONG, category: 'heating', createdAt: T + 30 * H });
		const g = groupPosts([a, b, c]);
		expect(new Set(g.values()).size).toBe(3);
	});
});
