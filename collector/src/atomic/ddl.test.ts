import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { eventsTableDdl } from './ddl.ts';
import { atomicColumns } from './columns.ts';

const repo = new URL('../../../', import.meta.url).pathname;

test('shipped DDL files are what the generator produces from the column contract', () => {
  const shipped = {
    presto: readFileSync(`${repo}deploy/presto/events.sql`, 'utf8'),
    athena: readFileSync(`${repo}deploy/athena/events.sql`, 'utf8'),
  };
  assert.equal(shipped.presto, eventsTableDdl('presto', { location: 's3a://webcube/events' }));
  assert.equal(shipped.athena, eventsTableDdl('athena', { location: 's3://YOUR_BUCKET/webcube/events' }));
});

test('every atomic column appears once, with dt as the only partition', () => {
  for (const engine of ['presto', 'athena'] as const) {
    const ddl = eventsTableDdl(engine, { location: 's3://b/events' });
    for (const c of atomicColumns) {
      assert.equal(ddl.split(new RegExp(`["\`]${c.name}["\`] `)).length - 1, 1, `${engine}: ${c.name}`);
    }
    assert.match(ddl, engine === 'athena' ? /PARTITIONED BY \(`dt` string\)/ : /partitioned_by = ARRAY\['dt'\]/);
  }
});

test('Athena uses Hive type names and partition projection on dt', () => {
  const ddl = eventsTableDdl('athena', { location: 's3://b/p/events/' });
  assert.match(ddl, /`app_id` string/);
  assert.match(ddl, /`txn_id` int,/);
  assert.match(ddl, /'storage.location.template' = 's3:\/\/b\/p\/events\/dt=\$\{dt\}\/'/);
  assert.doesNotMatch(ddl, /varchar/);
});
