// Retention and erasure on real files and DuckDB (local root and the S3 test server): exact
// counts against what was written, manifest-aware readers never see half a change, a collector
// writing meanwhile loses and doubles nothing, and the audit log holds no identifier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, mkdir, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { openEventStore, loadStorageConfig } from '../storage/index.ts';
import { makeEvent } from '../storage/test-events.ts';
import { openLocalSink } from '../sinks/local.ts';
import type { Sink } from '../sinks/sink.ts';
import { listVisibleEventFiles } from '../compact/visible-parts.ts';
import { runCompaction } from '../compact/compact-command.ts';
import { runForget, parseForgetArgs } from './forget.ts';
import { runRetention, parseRetentionArgs } from './retention-command.ts';
import { retentionCutoff } from './retention.ts';
import { readAudit, hashIdentifier } from './audit-log.ts';
import { pendingRebuilds } from './rebuild-requests.ts';
import { lineNamesTarget } from './identity-match.ts';

const DAY = 86_400_000;
const SALT = 'a-test-salt-of-enough-length';
const env = (root: string, extra: Record<string, string> = {}) => ({
  WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_COMPACT_EVERY_S: '0',
  WEBCUBE_AUDIT_SALT: SALT, WEBCUBE_FORGET_GRACE_S: '0', WEBCUBE_FORGET_SPOOL_WAIT_S: '5', ...extra,
});

/** Events of `users` over `days` days ending yesterday; returns the truth per user. */
async function fill(e: Record<string, string>, users: string[], days: number, perDay: number, now = Date.now()): Promise<Map<string, number>> {
  const store = await openEventStore(loadStorageConfig(e));
  const truth = new Map<string, number>();
  const today = Math.floor(now / DAY) * DAY;
  for (let d = days; d >= 1; d--) {
    const events = Array.from({ length: perDay }, (_, i) => {
      const user = users[i % users.length]!;
      truth.set(user, (truth.get(user) ?? 0) + 1);
      return makeEvent(today - d * DAY + 3_600_000 + i * 1000, { user_id: user, domain_userid: `d-${user}`, network_userid: `n-${user}` });
    });
    await store.append(events, []);
    await store.flush();
  }
  await store.close();
  return truth;
}

async function readVisible(sink: Sink, select = 'user_id, count(*)::INT AS n, count(DISTINCT event_id)::INT AS d'): Promise<Record<string, unknown>[]> {
  const keys = await listVisibleEventFiles(sink);
  if (keys.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'webcube-read-'));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const files: string[] = [];
    for (const [i, k] of keys.entries()) {
      const local = sink.localPath(k) ?? join(dir, `${i}.parquet`);
      if (!sink.localPath(k)) await sink.download(k, local);
      files.push(local);
    }
    const list = files.map((f) => `'${f}'`).join(',');
    return (await conn.runAndReadAll(`SELECT ${select} FROM read_parquet([${list}], hive_partitioning = false) GROUP BY ALL ORDER BY 1`)).getRowObjectsJson() as Record<string, unknown>[];
  } finally { conn.closeSync(); db.closeSync(); await rm(dir, { recursive: true, force: true }); }
}

const perUser = (rows: Record<string, unknown>[]) => new Map(rows.map((r) => [String(r.user_id), Number(r.n)]));

test('identity matching finds the identifier in tracker payloads, querystrings, cookies and bad rows, and nothing else', () => {
  const t = { column: 'domain_userid', value: 'abc-123' } as const;
  assert.ok(lineNamesTarget(JSON.stringify({ m: { t: 1 }, b: JSON.stringify({ data: [{ e: 'pv', duid: 'abc-123' }] }) }), t));
  assert.ok(lineNamesTarget(JSON.stringify({ bad: { raw: '/i?e=pv&duid=abc-123&tv=js', reason: 'x' } }), t));
  assert.ok(!lineNamesTarget(JSON.stringify({ bad: { raw: '/i?e=pv&duid=abc-1234&page=abc-123' } }), t));
  assert.ok(!lineNamesTarget(JSON.stringify({ duid: 'other', page_title: 'abc-123' }), t));
  assert.ok(lineNamesTarget(JSON.stringify({ headers: ['Cookie: sp=n-1; x=y'] }), { column: 'network_userid', value: 'n-1' }));
  assert.ok(lineNamesTarget(JSON.stringify({ user_id: 'u@x.org' }), { column: 'user_id', value: 'u@x.org' }));
});

test('forget removes exactly one person from every day, bad rows included, swaps files atomically and audits without the identifier', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-forget-'));
  try {
    const e = env(root);
    const truth = await fill(e, ['alice', 'bob', 'carol'], 4, 30);
    await runCompaction(e, ['--all']);
    // Bad rows: one naming alice, one bob.
    await mkdir(join(root, 'bad', 'dt=2026-01-05'), { recursive: true });
    await writeFile(join(root, 'bad', 'dt=2026-01-05', 'bad-x.ndjson'), [
      JSON.stringify({ raw: '/i?e=pv&uid=alice&tv=js-4', reason: 'schema', time: 1 }),
      JSON.stringify({ raw: '/i?e=pv&uid=bob&tv=js-4', reason: 'schema', time: 1 }),
    ].join('\n') + '\n');
    const sink = await openLocalSink(root);
    const before = perUser(await readVisible(sink));
    assert.deepEqual(before, truth);

    const report = await runForget(e, parseForgetArgs(['--user-id', 'alice']));
    await report.cleanup;
    const after = await readVisible(sink);
    assert.deepEqual(perUser(after), new Map([['bob', truth.get('bob')!], ['carol', truth.get('carol')!]]));
    for (const r of after) assert.equal(r.n, r.d, 'an event was doubled');
    assert.equal(report.totalRows, truth.get('alice')! + 1);
    assert.equal(report.days.length, 4);
    // No file on disk still holds alice (replaced files are gone after the grace period).
    const raw = await readVisible({ ...sink, list: async (p: string) => (await sink.list(p)).filter((k) => !k.includes('_compaction')) } as Sink);
    assert.equal(raw.find((r) => r.user_id === 'alice'), undefined);
    const bad = await readFile(join(root, 'bad', 'dt=2026-01-05', 'bad-x.ndjson'), 'utf8');
    assert.ok(!bad.includes('alice') && bad.includes('bob'));
    const [audit] = await readAudit(sink);
    assert.equal(audit!.action, 'forget');
    assert.equal(audit!.request.subject, hashIdentifier(SALT, 'alice'));
    assert.ok(!JSON.stringify(audit).includes('alice'));
    assert.equal(audit!.totalRows, report.totalRows);
    const [rebuild] = await pendingRebuilds(sink);
    assert.deepEqual(rebuild!.days, report.days);
    // Forgetting again finds nothing.
    const again = await runForget(e, parseForgetArgs(['--user-id=alice']));
    await again.cleanup;
    assert.equal(again.totalRows, 0);
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('forget while the collector writes the same days: readers never see an event twice or miss one, and no other event is lost', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-forget-'));
  try {
    const e = env(root, { WEBCUBE_FORGET_GRACE_S: '1' });
    const truth = await fill(e, ['alice', 'bob'], 3, 40);
    const store = await openEventStore(loadStorageConfig(e));
    const yesterday = Math.floor(Date.now() / DAY) * DAY - DAY;
    let bobWritten = truth.get('bob')!;
    let writing = true;
    const writer = (async () => {
      for (let b = 0; writing || b < 3; b++) {
        await store.append(Array.from({ length: 10 }, (_, i) => makeEvent(yesterday + 7_200_000 + b * 100 + i, { user_id: 'bob' })), []);
        await store.flush();
        bobWritten += 10;
      }
    })();
    const sink = await openLocalSink(root);
    const seen: { n: number; d: number; floor: number }[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const floor = bobWritten;
        try {
          const bob = (await readVisible(sink)).find((r) => r.user_id === 'bob');
          seen.push({ n: Number(bob?.n ?? 0), d: Number(bob?.d ?? 0), floor });
        } catch { /* a file deleted between list and read: retry */ }
      }
    })();
    const report = await runForget(e, { column: 'user_id', value: 'alice' });
    await report.cleanup;
    writing = false;
    await writer;
    reading = false;
    await reader;
    await store.close();
    assert.equal(report.totalRows, truth.get('alice'));
    assert.ok(seen.length > 0);
    for (const o of seen) {
      assert.equal(o.n, o.d, 'an event was counted twice');
      assert.ok(o.n >= o.floor, `bob's events missing: saw ${o.n}, ${o.floor} were flushed before the read began`);
    }
    assert.deepEqual(perUser(await readVisible(sink)), new Map([['bob', bobWritten]]));
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('forget rewrites spool segments left by a stopped collector, and the replay then writes none of the person', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-forget-'));
  try {
    const e = env(root, { WEBCUBE_FORGET_SPOOL_WAIT_S: '0' });
    const segDir = join(root, 'spool', 'segments');
    await mkdir(segDir, { recursive: true });
    const t = Date.now() - DAY;
    const lines = [makeEvent(t, { user_id: 'alice' }), makeEvent(t + 1, { user_id: 'bob' }), makeEvent(t + 2, { user_id: 'alice' })];
    await writeFile(join(segDir, `seg-000000000001-${randomUUID()}.ndjson`), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const report = await runForget(e, { column: 'user_id', value: 'alice' });
    await report.cleanup;
    assert.deepEqual(report.removed, [{ where: 'spool', rows: 2 }]);
    const store = await openEventStore(loadStorageConfig(e));
    await store.close();
    assert.deepEqual(perUser(await readVisible(await openLocalSink(root))), new Map([['bob', 1]]));
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('forget needs an audit salt and one identifier', async () => {
  await assert.rejects(runForget({ WEBCUBE_DATA_DIR: '/nonexistent' }, { column: 'user_id', value: 'x' }), /WEBCUBE_AUDIT_SALT/);
  assert.throws(() => parseForgetArgs([]), /exactly one/);
  assert.throws(() => parseForgetArgs(['--user-id', 'a', '--domain-userid', 'b']), /exactly one/);
  assert.throws(() => parseForgetArgs(['--email', 'a']), /unknown option/);
  assert.deepEqual(parseForgetArgs(['--network-userid', 'n']), { column: 'network_userid', value: 'n' });
});

test('retention over 35 days drops exactly the days before the cutoff, whole, from events and bad rows, and archives them when asked', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-retention-'));
  const archive = await mkdtemp(join(tmpdir(), 'webcube-archive-'));
  try {
    const e = env(root, { WEBCUBE_ARCHIVE_LOCATION: archive });
    const now = Date.now();
    await fill(e, ['u1', 'u2'], 35, 4, now);
    const cutoff = retentionCutoff(30, now);
    const oldBad = join(root, 'bad', `dt=${new Date(now - 33 * DAY).toISOString().slice(0, 10)}`);
    await mkdir(oldBad, { recursive: true });
    await writeFile(join(oldBad, 'bad-1.ndjson'), '{"raw":"x","reason":"y"}\n');
    const sink = await openLocalSink(root);
    const days = async (s: Sink) => [...new Set((await listVisibleEventFiles(s)).map((k) => k.slice(10, 20)))].sort();
    const all = await days(sink);
    assert.equal(all.length, 35);
    const r = await runRetention(e, 30, {}, now);
    assert.equal(r.cutoff, cutoff);
    const expectedGone = all.filter((d) => d < cutoff);
    assert.equal(expectedGone.length, 5);
    assert.deepEqual(r.dropped.map((d) => d.dt), expectedGone);
    assert.deepEqual(await days(sink), all.filter((d) => d >= cutoff));
    const rows = await readVisible(sink, 'count(*)::INT AS n');
    assert.equal(Number(rows[0]!.n), 30 * 4);
    assert.deepEqual(await sink.list('bad/'), []);
    const archived = await openLocalSink(archive);
    assert.deepEqual(await days(archived), expectedGone);
    assert.equal((await archived.list('bad/')).length, 1);
    const requests = await pendingRebuilds(sink);
    assert.equal(requests[0]!.dropBefore, cutoff);
    assert.ok((await readAudit(sink)).some((a) => a.action === 'retention'));
    const again = await runRetention(e, 30, {}, now);
    assert.deepEqual(again.dropped, []);
  } finally { await rm(root, { recursive: true, force: true }); await rm(archive, { recursive: true, force: true }); }
});

test('retention arguments', () => {
  assert.deepEqual(parseRetentionArgs(['--dry-run']), { apply: false });
  assert.deepEqual(parseRetentionArgs(['--apply', '--days', '7']), { apply: true, days: 7 });
  assert.throws(() => parseRetentionArgs([]), /--dry-run or --apply/);
  assert.throws(() => parseRetentionArgs(['--apply', '--dry-run']), /either/);
  assert.throws(() => parseRetentionArgs(['--apply', '--days=0']), /--days/);
});

test('forget and retention work the same on an s3:// data root', async () => {
  const { startS3TestServer } = await import('../sinks/s3-test-server.ts');
  const { openS3Sink } = await import('../sinks/s3.ts');
  const server = await startS3TestServer();
  const spool = await mkdtemp(join(tmpdir(), 'webcube-forget-s3-'));
  const prefix = `lake-${randomUUID()}`;
  const e = env(`s3://${server.bucket}/${prefix}`, {
    COLLECTOR_SPOOL_DIR: spool, AWS_ENDPOINT_URL_S3: server.settings.endpoint!, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
  });
  const sink = await openS3Sink({ bucket: server.bucket, prefix, settings: server.settings, stagingDir: join(spool, 'check') });
  try {
    const now = Date.now();
    const truth = await fill(e, ['alice', 'bob'], 5, 6, now);
    const report = await runForget(e, { column: 'domain_userid', value: 'd-alice' });
    await report.cleanup;
    assert.equal(report.totalRows, truth.get('alice'));
    assert.deepEqual(perUser(await readVisible(sink)), new Map([['bob', truth.get('bob')!]]));
    assert.equal((await readAudit(sink)).length, 1);
    const r = await runRetention(e, 3, {}, now);
    assert.equal(r.dropped.length, 2);
    assert.equal(Number((await readVisible(sink, 'count(*)::INT AS n'))[0]!.n), 3 * 3);
  } finally { await sink.close(); await server.stop(); await rm(spool, { recursive: true, force: true }); }
});

test('a day being dropped is invisible as a whole from the moment its manifest exists, even half deleted', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-retention-'));
  try {
    const e = env(root);
    await fill(e, ['u'], 2, 3);
    const store = await openEventStore(loadStorageConfig(e));
    const yesterday = Math.floor(Date.now() / DAY) * DAY - DAY;
    for (let b = 0; b < 3; b++) { await store.append([makeEvent(yesterday + 60_000 + b)], []); await store.flush(); }
    await store.close();
    const sink = await openLocalSink(root);
    const dt = new Date(yesterday).toISOString().slice(0, 10);
    const files = await sink.list(`events/dt=${dt}/`);
    assert.equal(files.length, 4);
    const { writeManifest } = await import('../compact/manifest.ts');
    // What dropDay does, interrupted after deleting half of the files.
    await writeManifest(sink, { id: `${dt}-x-retention-${randomUUID()}`, dt, created: Date.now(), inputs: files, outputs: [] });
    await sink.delete(files.slice(0, 2));
    assert.deepEqual(await listVisibleEventFiles(sink, dt), []);
    assert.equal((await listVisibleEventFiles(sink)).length, 1);
    // The next run (retention or compaction recovery) finishes the deletion.
    await runCompaction(e, ['--date', dt]);
    assert.deepEqual(await sink.list(`events/dt=${dt}/`), []);
  } finally { await rm(root, { recursive: true, force: true }); }
});
