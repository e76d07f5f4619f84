// Table naming follows Cube's pattern and stays within MySQL's identifier limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_IDENT, parseTableName, partitionSuffix, preAggTableName, tableBaseName, versionHash } from './naming.ts';

test('version hashes are 8 base32 chars, stable and input-sensitive', () => {
  const a = versionHash('sql', ['idx']);
  assert.match(a, /^[a-z2-7]{8}$/);
  assert.equal(versionHash('sql', ['idx']), a);
  assert.notEqual(versionHash('sql2', ['idx']), a);
});

test('names read <cube>_<preagg><partition>_<content>_<structure>_<last_updated_at> and parse back', () => {
  const base = tableBaseName('pageViews', 'mainRollup');
  assert.equal(base, 'page_views_main_rollup');
  const parts = { base, partition: partitionSuffix('2024-03-01T00:00:00.000', 'day'), contentVersion: 'abcdefgh', structureVersion: 'ijklmnop', lastUpdatedAt: 1700000000000 };
  const name = preAggTableName(parts);
  assert.equal(name, 'page_views_main_rollup20240301_abcdefgh_ijklmnop_1700000000000');
  assert.deepEqual(parseTableName(name), parts);
  assert.equal(partitionSuffix('2024-03-01T05:00:00.000', 'hour'), '2024030105');
  assert.equal(tableBaseName('x', 'y', 'shortAlias'), 'short_alias');
});

test('long names are shortened with a hash instead of failing on MySQL (Cube #86, #1564)', () => {
  const base = tableBaseName('a_very_long_cube_name_for_marketing_attribution', 'rollup_by_campaign_and_day');
  const name = preAggTableName({ base, partition: '20240101', contentVersion: 'abcdefgh', structureVersion: 'ijklmnop', lastUpdatedAt: 1700000000000 });
  assert.ok(name.length <= MAX_IDENT, `${name} has ${name.length} chars`);
  const other = preAggTableName({ base: `${base}_x`, partition: '20240101', contentVersion: 'abcdefgh', structureVersion: 'ijklmnop', lastUpdatedAt: 1700000000000 });
  assert.notEqual(name, other);
  assert.equal(parseTableName(name)?.partition, '20240101');
});
