// docker-compose.yml mounts the catalog and DDL files `webcube stack` generates: one source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { composeFiles } from './compose-config.ts';

const repo = new URL('../../', import.meta.url).pathname;

test('the committed deploy/ files are the ones `webcube stack config --for compose` generates', () => {
  for (const [path, content] of Object.entries(composeFiles())) {
    assert.equal(readFileSync(`${repo}${path}`, 'utf8'), content, `${path} differs: run \`webcube stack config --for compose\``);
  }
});

test('compose catalogs reach the metastore service and MinIO, with no local file system or keys in the file', () => {
  const files = composeFiles();
  for (const engine of ['presto', 'trino']) {
    const props = files[`deploy/${engine}/catalog/hive.properties`]!;
    assert.match(props, /^hive\.metastore\.uri=thrift:\/\/hive-metastore:9083$/m);
    assert.match(props, /minio:9000/);
    assert.match(props, /=\$\{ENV:MINIO_ROOT_PASSWORD\}$/m);
    assert.doesNotMatch(props, /catalog\.dir|native-local/);
  }
  assert.match(files['deploy/presto/catalog/hive.properties']!, /^hive\.time-zone=UTC$/m);
  assert.match(files['deploy/presto/events.sql']!, /external_location = 's3a:\/\/webcube\/events'/);
});
