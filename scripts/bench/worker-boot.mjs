// A load worker's entry: worker threads do not inherit tsx's loader, so it is registered here
// before the TypeScript module named in workerData.module is loaded.
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.module);
