/** Where simulated data goes: the in-process ingest pipeline, or the public API of a running instance. */
import type { IncidentInput, StatusEventInput } from '../../src/lib/contract/incident.ts';

export interface IngestResultLike {
	accepted: number;
	duplicates: number;
}

/** The part of `IngestPipeline` the simulator uses. */
export interface IngestSink {
	submitIncidents(inputs: IncidentInput[], opts?: { publish?: boolean }): Promise<IngestResultLike>;
	submitEvents(inputs: StatusEventInput[], opts?: { publish?: boolean }): Promise<IngestResultLike>;
	/** Resolves once everything accepted so far is in the store (the in-process pipeline). */
	drain?(): Promise<void>;
}
