// Public surface of the collector package: what the CLI and other packages use.
export { loadCollectorConfig, type CollectorConfig } from './config.ts';
export { startCollector, collectorCommand, type RunningCollector } from './collector-command.ts';
export { importCommand } from './import/import-command.ts';
export { compactCommand } from './compact/compact-command.ts';
export { demoCommand, runDemo } from './demo/demo-command.ts';
export { atomicColumns, atomicColumnNames, type AtomicEvent, type AtomicColumn } from './atomic/columns.ts';
export { visibleParts } from './compact/visible-parts.ts';
export { MANIFEST_PREFIX, type CompactionManifest } from './compact/manifest.ts';
export { loaderCommand, startLoader, type RunningLoader } from './loader/loader-command.ts';
export { loadLoaderConfig } from './loader/loader-config.ts';
