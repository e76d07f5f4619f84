import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { javaMajor, findJava, describeRange } from './java-runtime.ts';
import { hiveCatalog, serverProperties } from './engine-config.ts';
import { engines } from './engine-spec.ts';
import { eventsLocation } from './register-events.ts';
import { stackCommand } from './stack-command.ts';

test('Java versions are read the way both version schemes spell them', () => {
  assert.equal(javaMajor('17.0.15'), 17);
  assert.equal(javaMajor('1.8.0_392'), 8);
  assert.equal(javaMajor('25'), 25);
  assert.equal(javaMajor('21-ea'), 21);
  assert.equal(describeRange({ min: 24 }), 'Java 24 or newer');
});

test('no JDK in range is reported as undefined, not a wrong JDK', () => {
  assert.equal(findJava({ min: 99 }, { JAVA_HOME: '/nonexistent' }), undefined);
});

test('each engine gets its own file-system scheme for local folders and its Hive connector', () => {
  const layout = { port: 1234, dataDir: '/s/data', pluginDir: '/s/plugin', metastoreDir: '/s/meta', heap: '1G' };
  assert.equal(hiveCatalog(engines.presto, layout)['hive.metastore.catalog.dir'], 'file:///s/meta');
  assert.equal(hiveCatalog(engines.trino, layout)['hive.metastore.catalog.dir'], 'local:///s/meta');
  assert.equal(hiveCatalog(engines.presto, layout)['connector.name'], 'hive-hadoop2');
  assert.equal(serverProperties(engines.presto, layout)['deprecated.legacy-timestamp'], 'false');
  assert.equal(serverProperties(engines.trino, layout)['discovery.uri'], 'http://127.0.0.1:1234');
  assert.equal(eventsLocation(engines.presto, 's3://bucket/prefix/'), 's3a://bucket/prefix/events');
  assert.equal(eventsLocation(engines.trino, 's3a://bucket/prefix'), 's3://bucket/prefix/events');
});

test('with an S3 server, each engine\'s Hive catalog reaches it path-style over plain HTTP', () => {
  const s3 = { endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's' };
  const layout = { port: 1234, dataDir: '/s/data', pluginDir: '/s/plugin', metastoreDir: '/s/meta', heap: '1G', s3 };
  const presto = hiveCatalog(engines.presto, layout);
  assert.deepEqual([presto['hive.s3.endpoint'], presto['hive.s3.path-style-access'], presto['hive.s3.ssl.enabled'], presto['hive.s3.aws-access-key']],
    ['http://127.0.0.1:9000', 'true', 'false', 'k']);
  const trino = hiveCatalog(engines.trino, layout);
  assert.deepEqual([trino['fs.native-s3.enabled'], trino['fs.native-local.enabled'], trino['s3.endpoint'], trino['s3.region'], trino['s3.aws-secret-key']],
    ['true', 'true', 'http://127.0.0.1:9000', 'us-east-1', 's']);
  assert.equal(hiveCatalog(engines.trino, { ...layout, s3: undefined })['fs.native-s3.enabled'], undefined);
});

test('usage errors say what to do', async () => {
  await assert.rejects(stackCommand(['start'], {}), /name the services to start: s3, metastore, presto, trino, kafka/);
  await assert.rejects(stackCommand(['start', 'postgres'], {}), /unknown service 'postgres'/);
  await assert.rejects(stackCommand(['start', 'presto', '--heap=lots'], {}), /heap size/);
  await assert.rejects(stackCommand(['restart'], {}), /usage: webcube stack/);
  await assert.rejects(stackCommand(['start', 'presto'], { WEBCUBE_DATA_DIR: 's3://b', WEBCUBE_STACK_DIR: join(tmpdir(), 'webcube-stack-usage-never-made') }), /AWS_ACCESS_KEY_ID/);
  await assert.rejects(stackCommand(['start', 'presto'], { WEBCUBE_DATA_DIR: 's3://b', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's', WEBCUBE_STACK_DIR: join(tmpdir(), 'webcube-stack-usage-never-made') }),
    /presto cannot register the events table on S3 with its file metastore \(local table locations only\): start the Hive metastore too, e.g. webcube stack start s3 metastore presto/);
  assert.equal(existsSync(join(tmpdir(), 'webcube-stack-usage-never-made')), false);
  await assert.rejects(stackCommand(['config'], {}), /usage: webcube stack config --for compose/);
  await assert.rejects(stackCommand(['config', '--for', 'kubernetes'], {}), /usage: webcube stack config --for compose/);
});

test('with a Thrift metastore, the Hive catalog uses it instead of a file metastore folder', async () => {
  const { metastoreSite } = await import('./metastore-server.ts');
  const layout = { port: 1234, dataDir: '/s/data', pluginDir: '/s/plugin', metastoreDir: '/s/meta', heap: '1G', metastoreUri: 'thrift://127.0.0.1:9083' };
  for (const name of ['presto', 'trino'] as const) {
    const catalog = hiveCatalog(engines[name], layout);
    assert.equal(catalog['hive.metastore.uri'], 'thrift://127.0.0.1:9083');
    assert.equal(catalog['hive.metastore.catalog.dir'], undefined);
  }
  const site = metastoreSite({ port: 9083, stateDir: '/s/metastore', s3: { endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', accessKeyId: 'k', secretAccessKey: 's&<' } });
  assert.match(site, /<name>metastore.thrift.port<\/name><value>9083<\/value>/);
  assert.match(site, /databaseName=\/s\/metastore\/db;create=true/);
  assert.match(site, /<name>fs.s3a.secret.key<\/name><value>s&amp;&lt;<\/value>/);
  assert.match(site, /<name>fs.s3.impl<\/name><value>org.apache.hadoop.fs.s3a.S3AFileSystem<\/value>/);
});
