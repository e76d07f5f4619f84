// Regression: a join written `{sessions}.session_id` referenced a column the sessions cube's
// SQL does not have, so every query joining events or page views to sessions failed in DuckDB.
// Every pair of web-analytics cubes that the model can join must compile and run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../server/src/model/index.ts';
import { normalizeQuery } from '../server/src/query/index.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { DuckDbDriver } from '../server/src/drivers/index.ts';

const schemaPath = new URL('../schema', import.meta.url).pathname;

test('every joinable pair of schema cubes runs on DuckDB (measure of one, dimension of the other)', async () => {
  const { model, errors } = await loadModel({ schemaPath });
  assert.deepEqual(errors, []);
  const dataDir = await mkdtemp(join(tmpdir(), 'webcube-joins-'));
  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: true });
  try {
    const cubes = ['events', 'page_views', 'sessions', 'users'].filter((c) => model.cubes.has?.(c) ?? (c in model.cubes));
    assert.equal(cubes.length, 4);
    const countOf = (cube: string) => `${cube}.count`;
    const dimensionOf = (cube: string) => `${cube}.app_id`;
    let ran = 0;
    for (const a of cubes) {
      for (const b of cubes) {
        if (a === b) continue;
        let compiled;
        try {
          const query = normalizeQuery({ measures: [countOf(a)], dimensions: [dimensionOf(b)], limit: 5 }, model);
          compiled = compileQuery(model, query, { dialect: 'duckdb' });
        } catch (error) {
          if (/join path/i.test(String(error))) continue; // not joinable in this direction
          throw error;
        }
        await assert.doesNotReject(driver.query(compiled.sql, compiled.params), `${a} × ${b}`);
        ran += 1;
      }
    }
    assert.ok(ran >= 6, `only ${ran} joinable pairs`);
  } finally {
    await driver.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
