// Worker entry in plain JS: a worker thread does not inherit the parent's tsx loader, so it
// registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./enrich-worker.ts');
