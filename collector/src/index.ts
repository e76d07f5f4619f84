// Public surface of the collector package: what the CLI and other packages use.
export { loadCollectorConfig, type CollectorConfig } from './config.ts';
export { startCollector, collectorCommand, type RunningCollector } from './collector-command.ts';
export { importCommand } from './import/import-command.ts';
export { compactCommand } from './compact/compact-command.ts';
export { demoCommand, runDemo } from './demo/demo-command.ts';
export { atomicColumns, atomicColumnNames, type AtomicEvent, type AtomicColumn } from './atomic/columns.ts';
export { visibleParts } from './compact/visible-parts.ts';
export { MANIFEST_PREFIX, type CompactionManifest } from './compact/manifest.ts';
export { forgetCommand, runForget, parseForgetArgs, type ForgetReport } from './lifecycle/forget.ts';
export { retentionCommand, runRetention } from './lifecycle/retention-command.ts';
export { retentionCutoff } from './lifecycle/retention.ts';
export { loadLifecycleConfig, type LifecycleConfig } from './lifecycle/lifecycle-config.ts';
export { pendingRebuilds, completeRebuild, type RebuildRequest } from './lifecycle/rebuild-requests.ts';
export type { ForgetTarget, IdentityColumn } from './lifecycle/identity-match.ts';
export { loadStorageConfig } from './storage/storage-config.ts';
export { openSink } from './sinks/open-sink.ts';
export { loaderCommand, startLoader, type RunningLoader } from './loader/loader-command.ts';
export { loadLoaderConfig } from './loader/loader-config.ts';
