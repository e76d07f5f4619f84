import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { DedupeIndex } from './dedupe-index.ts';

async function stage(conn: Awaited<ReturnType<DuckDBInstance['connect']>>, ids: number[]): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE wc_stage AS SELECT md5_number(i::VARCHAR) AS _k FROM unnest([${ids.join(', ')}]::INTEGER[]) u(i)`);
}

test('countSeen, allNew commits and maxIds trimming keep the newest flushes whole', async () => {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const index = await DedupeIndex.open(conn, { windowMs: 1_000_000, maxIds: 5 });
    await stage(conn, [1, 2, 3]);
    assert.equal(await index.countSeen('wc_stage'), 0);
    await index.commit('s1', 'wc_stage', 100, true);
    await stage(conn, [3, 4, 4]);
    assert.equal(await index.countSeen('wc_stage'), 1, 'key 3 was seen');
    await index.commit('s2', 'wc_stage', 200);
    assert.equal(await index.size(), 4, 'the anti-join path adds only the new, distinct key 4');
    await stage(conn, [5, 6]);
    await index.commit('s3', 'wc_stage', 300, true);
    // 6 keys > 5, but the flush at which the newest-first count reaches 5 (t=100) is kept whole.
    assert.equal(await index.size(), 6);
    await stage(conn, [7, 8, 9, 10, 11]);
    await index.commit('s4', 'wc_stage', 400, true);
    assert.equal(await index.size(), 5, 'the newest flush alone fills maxIds: everything older goes');
    await stage(conn, [1, 6, 7, 11]);
    assert.equal(await index.countSeen('wc_stage'), 2, 'keys 7 and 11 remain; 1 and 6 were trimmed');
    assert.equal(await index.isDone('s3'), true);
  } finally {
    conn.closeSync();
    db.closeSync();
  }
});
