// Entry of the server's worker threads (server/threads/start.ts): loads the thread's TypeScript module
// through tsx, whichever way the parent process loads TypeScript (tsx, or the test runner's transform).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.module, import.meta.url);
