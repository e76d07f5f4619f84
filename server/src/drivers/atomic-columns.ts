// Thin adapter to the collector's column contract (collector/src/atomic/columns.ts). Imported by
// path rather than through @webcube/collector so the server does not load the whole collector.
export { atomicColumns, type AtomicColumn } from '../../../collector/src/atomic/columns.ts';
