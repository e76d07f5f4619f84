// hiveUnregister on the real engines: a retained-away day leaves the events table's partitions on
// PrestoDB (which has no unregister_partition procedure) and on Trino, and its files stay for
// retention to delete.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hiveUnregister } from '../server/src/preagg/lifecycle-pass.ts';
import { ENGINE_NAMES, testEngine, uniqueSchema } from './engines.ts';

for (const name of ENGINE_NAMES) {
  describe(`hiveUnregister on ${name}`, () => {
    test('drops the day from the partitions and keeps its files', async () => {
      const engine = await testEngine(name);
      const schema = uniqueSchema('unregister');
      const root = await mkdtemp(join(tmpdir(), `webcube-unregister-${name}-`));
      try {
        for (const dt of ['2026-01-01', '2026-01-02']) await mkdir(join(root, 'events', `dt=${dt}`), { recursive: true });
        const table = await engine.registerEvents(root, schema);
        const partitions = async () => (await engine.run(`SELECT dt FROM hive.${schema}."events$partitions" ORDER BY dt`)).map((r) => String(r[0]));
        if ((await partitions()).length < 2) {
          for (const dt of ['2026-01-01', '2026-01-02']) await engine.run(`CALL hive.system.create_empty_partition('${schema}', 'events', ARRAY['dt'], ARRAY['${dt}'])`);
        }
        assert.deepEqual(await partitions(), ['2026-01-01', '2026-01-02']);
        const unregister = hiveUnregister(table, undefined, (sql) => engine.run(sql))!;
        await unregister('2026-01-01');
        assert.deepEqual(await partitions(), ['2026-01-02']);
        await unregister('2026-01-01'); // already gone: not an error
        assert.deepEqual(await readdir(join(root, 'events')), ['dt=2026-01-01', 'dt=2026-01-02']);
      } finally {
        await engine.run(`DROP TABLE IF EXISTS hive.${schema}.events`).catch(() => undefined);
        await engine.run(`DROP SCHEMA IF EXISTS hive.${schema}`).catch(() => undefined);
        await rm(root, { recursive: true, force: true });
      }
    });
  });
}
