/** The error envelope of every failed HTTP answer (CONTRACT.md). */
export interface ErrorDetail {
	index?: number;
	path: string;
	message: string;
}

export interface ErrorBody {
	error: { code: string; message: string; details?: ErrorDetail[] };
}
