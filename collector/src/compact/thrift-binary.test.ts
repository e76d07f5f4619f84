import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { MESSAGE, Reader, ShortRead, T, Writer, asString, str, strList, struct, type TList, type TMap, type TStruct } from './thrift-binary.ts';
import { getPartition } from './hive-metastore-client.ts';
import { parseMetastoreTable } from './partition-swap.ts';
import { loadStorageConfig } from '../storage/storage-config.ts';

const sample = (): TStruct => struct({
  1: strList(['2026-01-05']), 2: str('atomic'), 4: { type: T.I32, value: -7 },
  6: { type: T.STRUCT, value: struct({ 2: str('s3://b/events/dt=2026-01-05'), 5: { type: T.BOOL, value: false }, 6: { type: T.I64, value: 1n << 40n } }) },
  7: { type: T.MAP, value: { keyType: T.STRING, valueType: T.STRING, entries: [[Buffer.from('k'), Buffer.from('v')]] } },
  9: { type: T.DOUBLE, value: 0.5 }, 10: { type: T.I16, value: -2 }, 11: { type: T.BYTE, value: 3 },
});

test('a message round-trips field for field, fields unknown to us included', () => {
  const bytes = new Writer().message('alter_partition', MESSAGE.CALL, 42, sample());
  const m = new Reader(bytes).message();
  assert.deepEqual([m.name, m.type, m.seq], ['alter_partition', MESSAGE.CALL, 42]);
  assert.deepEqual(m.body, sample());
  assert.equal(asString(m.body.get(6)!.value as TStruct, 2, 'location'), 's3://b/events/dt=2026-01-05');
  assert.deepEqual(((m.body.get(1)!.value as TList).items as Buffer[]).map(String), ['2026-01-05']);
  assert.equal(((m.body.get(7)!.value as TMap).entries[0]![1] as Buffer).toString(), 'v');
  // Written again, the bytes are the same.
  assert.deepEqual(new Writer().message('alter_partition', MESSAGE.CALL, 42, m.body), bytes);
});

test('an incomplete message asks for more bytes; a foreign one is refused', () => {
  const bytes = new Writer().message('get_table', MESSAGE.REPLY, 1, sample());
  for (const cut of [0, 3, 10, bytes.length - 1]) assert.throws(() => new Reader(bytes.subarray(0, cut)).message(), ShortRead);
  assert.throws(() => new Reader(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')).message(), /not a strict binary-protocol message/);
});

test('WEBCUBE_COMPACT_HIVE_METASTORE takes thrift://host:port/schema.table, comma-separated, and says what it expected', () => {
  assert.deepEqual(parseMetastoreTable('thrift://metastore:9083/Atomic.events'), { host: 'metastore', port: 9083, schema: 'atomic', table: 'events' });
  const c = loadStorageConfig({ WEBCUBE_COMPACT_HIVE_METASTORE: 'thrift://127.0.0.1:9083/a.events, thrift://127.0.0.1:9083/b.events' });
  assert.deepEqual(c.compactHiveMetastore.map((t) => t.schema), ['a', 'b']);
  assert.deepEqual(loadStorageConfig({}).compactHiveMetastore, []);
  for (const bad of ['thrift://h:9083/events', 'http://h:9083/a.events', 'thrift://h/a.events', 'thrift://h:99999/a.events', '/data/metastore/a/events']) {
    assert.throws(() => loadStorageConfig({ WEBCUBE_COMPACT_HIVE_METASTORE: bad }), /WEBCUBE_COMPACT_HIVE_METASTORE: expected thrift:\/\/host:port\/schema\.table/, bad);
  }
});

test('a metastore that is not there, or answers in another protocol, fails the call with why', async () => {
  const sockets: Socket[] = [];
  const server = createServer((s) => { sockets.push(s); s.on('error', () => undefined); s.write('HTTP/1.1 400 Bad Request\r\n\r\n'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    await assert.rejects(getPartition({ host: '127.0.0.1', port }, 'a', 'events', '2026-01-05'), /not a strict binary-protocol message/);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  }
  await assert.rejects(getPartition({ host: '127.0.0.1', port }, 'a', 'events', '2026-01-05'), /metastore 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
});
