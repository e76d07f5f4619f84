// Public surface of the model compiler: load/compile Cube data-model files, watch them in dev
// mode, expose /v1/meta, and the typed compiled model (see types.ts for the SqlTemplate contract).
export { loadModel, compileModelFromSources, compileModelFromSourcesAsync, readModelSources, type LoadedModel, type ModelSource } from './load-model.ts';
export type { ModelOptions } from './compile-model.ts';
export { compileContextOf } from './compile-context.ts';
export { DEFAULT_EVENTS_TABLE } from './resolve-template.ts';
export { watchModel, type ModelChange, type ModelWatcher, type WatchModelOptions } from './watch-model.ts';
export { toMeta, measureDataType, type MetaOptions } from './to-meta.ts';
export { renderTemplate, templateRefs, type TemplateResolver } from './render-template.ts';
export { titleize } from './titles.ts';
export { formatModelErrors } from './format-errors.ts';
export { templateToSource } from './template-source.ts';
export { GRANULARITIES } from './compile-pre-aggregation.ts';
export type * from './types.ts';
