// Dev-mode hot reload: recompiles the model when a file under the schema path changes
// (debounced), and keeps serving the last model that compiled cleanly when a reload has errors.
import { watch, type FSWatcher } from 'node:fs';
import type { ModelOptions } from './compile-model.ts';
import { loadModel, isModelFile, type LoadedModel } from './load-model.ts';
import type { CompiledModel, ModelError } from './types.ts';

export interface ModelChange {
  /** The model now being served: the new one if `applied`, else the last good one. */
  readonly model: CompiledModel;
  /** Errors of the latest compile (empty when it was clean). */
  readonly errors: readonly ModelError[];
  readonly applied: boolean;
}

export interface WatchModelOptions extends ModelOptions {
  readonly schemaPath: string;
  readonly onChange?: (change: ModelChange) => void;
  /** Unexpected failures (unreadable directory...); the previous model keeps serving. */
  readonly onError?: (error: Error) => void;
  readonly debounceMs?: number;
}

export interface ModelWatcher {
  /** The served model and the latest compile's errors. */
  current(): LoadedModel;
  /** Recompiles now (also what a file change triggers). */
  reload(): Promise<ModelChange>;
  close(): void;
}

export async function watchModel(opts: WatchModelOptions): Promise<ModelWatcher> {
  const load = () => loadModel({ schemaPath: opts.schemaPath, eventsTable: opts.eventsTable });
  const first = await load();
  let served = first.model;
  let hasGood = first.errors.length === 0;
  let errors = first.errors;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ModelChange> | undefined;
  let again = false;

  const compile = async (): Promise<ModelChange> => {
    const next = await load();
    errors = next.errors;
    const applied = next.errors.length === 0 || !hasGood;
    if (applied) { served = next.model; hasGood ||= next.errors.length === 0; }
    return { model: served, errors, applied };
  };
  // Serialise reloads: a change during a compile triggers exactly one more.
  const reload = (): Promise<ModelChange> => {
    if (running) { again = true; return running; }
    running = compile()
      .then((change) => { opts.onChange?.(change); return change; })
      .finally(() => {
        running = undefined;
        if (again) { again = false; void reload().catch((e: Error) => opts.onError?.(e)); }
      });
    return running;
  };

  const watcher: FSWatcher = watch(opts.schemaPath, { recursive: true }, (_event, file) => {
    if (file && !isModelFile(String(file))) return;
    clearTimeout(timer);
    timer = setTimeout(() => { reload().catch((e: Error) => opts.onError?.(e)); }, opts.debounceMs ?? 150);
  });
  watcher.on('error', (e) => opts.onError?.(e));

  return {
    current: () => ({ model: served, errors }),
    reload,
    close: () => { clearTimeout(timer); watcher.close(); },
  };
}
