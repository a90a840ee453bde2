/**
 * The report archive on disk: `$MCU_DATA_DIR/reports/<id>/` holds `meta.json`, `data.json` (the numbers
 * the pages show), `overview.png`, `report.pdf` and `district-<code>.pdf`. Writes go through a temporary
 * file and a rename, so a reader never sees half a file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ReportMetaSchema, type ReportData, type ReportMeta } from '../../src/lib/contract/reports.ts';

const ID_RE = /^\d{4}-W\d{2}-[a-z0-9]{4,32}$/;

/** meta.json is read with the contract's own schema: what the archive keeps is what the API lists. */
const MetaSchema = ReportMetaSchema;

export function isReportId(id: string): boolean {
	return ID_RE.test(id);
}

export function districtPdfName(code: string): string {
	return `district-${code}.pdf`;
}

export class ReportArchive {
	constructor(readonly root: string) {
		fs.mkdirSync(root, { recursive: true });
	}

	newId(week: string, now: Date): string {
		return `${week}-${now.getTime().toString(36)}${randomBytes(2).toString('hex')}`;
	}

	dir(id: string): string {
		if (!isReportId(id)) throw new Error(`Not a report id: ${id}`);
		return path.join(this.root, id);
	}

	file(id: string, name: string): string {
		if (!/^[a-z0-9_.-]+$/.test(name)) throw new Error(`Not a report file name: ${name}`);
		return path.join(this.dir(id), name);
	}

	#writeAtomic(file: string, content: string): void {
		const tmp = `${file}.${process.pid}.tmp`;
		fs.writeFileSync(tmp, content);
		fs.renameSync(tmp, file);
	}

	writeMeta(meta: ReportMeta): void {
		fs.mkdirSync(this.dir(meta.id), { recursive: true });
		this.#writeAtomic(this.file(meta.id, 'meta.json'), JSON.stringify(meta, null, '\t'));
	}

	readMeta(id: string): ReportMeta | null {
		if (!isReportId(id)) return null;
		try {
			return MetaSchema.parse(JSON.parse(fs.readFileSync(this.file(id, 'meta.json'), 'utf8')));
		} catch {
			return null;
		}
	}

	writeData(id: string, data: ReportData): void {
		this.#writeAtomic(this.file(id, 'data.json'), JSON.stringify(data));
	}

	readData(id: string): ReportData | null {
		if (!isReportId(id)) return null;
		try {
			// Written by this module from a typed value; a torn or foreign file fails to parse and reads as none.
			return JSON.parse(fs.readFileSync(this.file(id, 'data.json'), 'utf8')) as ReportData;
		} catch {
			return null;
		}
	}

	/** Every readable entry, newest week first, then newest made first. */
	list(): ReportMeta[] {
		const metas = fs
			.readdirSync(this.root)
			.filter(isReportId)
			.map((id) => this.readMeta(id))
			.filter((m): m is ReportMeta => m !== null);
		return metas.sort((a, b) => b.week.localeCompare(a.week) || b.created_at.localeCompare(a.created_at));
	}

	sizeOf(id: string, name: string): number | null {
		try {
			return fs.statSync(this.file(id, name)).size;
		} catch {
			return null;
		}
	}
}
