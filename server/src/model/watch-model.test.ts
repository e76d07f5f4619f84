// Dev-mode reload: a file change recompiles the model; a broken change keeps the last good
// model serving and reports its errors; fixing it applies the new model.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { watchModel, type ModelChange, type ModelWatcher } from './watch-model.ts';

const cube = (measure: string) => `cubes:\n  - name: orders\n    sql_table: orders\n    measures:\n      - name: ${measure}\n        type: count\n`;

describe('watchModel', () => {
  let dir: string;
  let watcher: ModelWatcher;
  const changes: ModelChange[] = [];
  let waiting: ((c: ModelChange) => void) | undefined;
  /** Resolves on the next reload reported through onChange. */
  const nextChange = (): Promise<ModelChange> => new Promise((resolve) => { waiting = resolve; });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-watch-'));
    await writeFile(join(dir, 'orders.yml'), cube('count'));
    watcher = await watchModel({
      schemaPath: dir,
      debounceMs: 20,
      onChange: (c) => { changes.push(c); waiting?.(c); },
    });
  });
  after(async () => {
    watcher.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the initial model', () => {
    const { model, errors } = watcher.current();
    assert.deepEqual(errors, []);
    assert.ok(model.members.has('orders.count'));
  });

  it('reloads when a model file changes', async () => {
    const next = nextChange();
    await writeFile(join(dir, 'orders.yml'), cube('total_orders'));
    const change = await next;
    assert.equal(change.applied, true);
    assert.ok(change.model.members.has('orders.total_orders'));
    assert.equal(watcher.current().model, change.model);
  });

  it('keeps the last good model when a reload has errors, and reports them', async () => {
    const good = watcher.current().model;
    const next = nextChange();
    await writeFile(join(dir, 'broken.yml'), 'cubes:\n  - name: broken\n    sql_table: [\n');
    const change = await next;
    assert.equal(change.applied, false);
    assert.equal(change.model, good);
    assert.equal(watcher.current().model, good);
    assert.deepEqual(change.errors.map((e) => e.file), ['broken.yml']);
  });

  it('applies the model again once the error is fixed', async () => {
    const next = nextChange();
    await writeFile(join(dir, 'broken.yml'), 'cubes:\n  - name: fixed\n    sql_table: f\n');
    const change = await next;
    assert.equal(change.applied, true);
    assert.deepEqual([...change.model.cubes.keys()].sort(), ['fixed', 'orders']);
    assert.deepEqual(watcher.current().errors, []);
  });

  it('reload() recompiles on demand', async () => {
    const change = await watcher.reload();
    assert.equal(change.applied, true);
    assert.ok(changes.length >= 4);
  });
});
