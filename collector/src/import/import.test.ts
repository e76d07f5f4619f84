// `webcube import` and importEvents on real files and DuckDB: original timestamps kept, tp2 lines
// go through the collector's validate/enrich, enriched TSV is loaded as is, rejects become bad rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { atomicColumns } from '../atomic/columns.ts';
import { loadStorageConfig } from '../storage/index.ts';
import { makeEvent, queryParquet } from '../storage/test-events.ts';
import { importEvents } from './import-events.ts';
import { importCommand, parseImportArgs } from './import-command.ts';
import { tsvToEvent, ENRICHED_TSV_FIELDS } from './tsv-event.ts';

const env = (root: string) => ({ WEBCUBE_DATA_DIR: root, COLLECTOR_GEOIP_DB: 'none' });

test('importEvents writes events of many days, in small batches, with their own timestamps', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-import-'));
  try {
    const base = Date.UTC(2025, 11, 30, 22);
    const times = Array.from({ length: 500 }, (_, i) => base + i * 600_000);
    async function* gen() { for (const t of times) yield makeEvent(t); }
    const r = await importEvents(gen(), loadStorageConfig(env(root)), { batchSize: 200 });
    assert.equal(r.written, 500);
    const rows = await queryParquet(root, (from) => `SELECT dt, count(*)::INT AS n, min(collector_tstamp)::VARCHAR AS first FROM ${from} GROUP BY dt ORDER BY dt`);
    const days = [...new Set(times.map((t) => new Date(t).toISOString().slice(0, 10)))];
    assert.deepEqual(rows.map((x) => x.dt), days);
    for (const x of rows) assert.equal(x.n, times.filter((t) => new Date(t).toISOString().startsWith(String(x.dt))).length);
    assert.equal(rows.reduce((n, x) => n + Number(x.n), 0), 500);
    assert.equal(rows[0]!.first, '2025-12-30 22:00:00');
    assert.ok(r.files >= days.length);
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('import --format tp2: POST bodies, GET query strings and bare events, enriched, with bad lines kept as bad rows', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-import-'));
  try {
    const t = Date.UTC(2024, 5, 1, 10);
    const eid = [randomUUID(), randomUUID(), randomUUID()];
    const lines = [
      JSON.stringify({ collector_tstamp: t, ip: '203.0.113.9', useragent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
        body: { schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data: [
          { e: 'pv', eid: eid[0], tv: 'js-4.10.1', p: 'web', aid: 'shop', url: 'https://shop.example/?utm_source=news&utm_medium=email', dtm: String(t - 100) },
          { e: 'se', eid: eid[1], tv: 'js-4.10.1', p: 'web', aid: 'shop', se_ca: 'video', se_ac: 'play' },
        ] } }),
      JSON.stringify({ collector_tstamp: '2024-06-02T08:00:00Z', querystring: `e=pv&eid=${eid[2]}&tv=js-4.10.1&p=web&aid=shop&url=https%3A%2F%2Fshop.example%2Fb` }),
      JSON.stringify({ e: 'pv', tv: 'node-4.0.0', p: 'srv', stm: String(t + 5000) }),
      'not json',
      JSON.stringify({ collector_tstamp: t, data: { e: 'pv', tv: 'js', p: 'nowhere' } }),
    ];
    const file = join(root, 'history.ndjson');
    await writeFile(file, `${lines.join('\n')}\n`);
    await importCommand([file, '--format', 'tp2'], env(root));
    const rows = await queryParquet(root, (from) => `SELECT event_id, event, app_id, collector_tstamp::VARCHAR AS ct, mkt_source, se_action, dt
      FROM ${from} ORDER BY collector_tstamp, event`);
    assert.equal(rows.length, 4);
    assert.deepEqual(rows[0], { event_id: eid[0], event: 'page_view', app_id: 'shop', ct: '2024-06-01 10:00:00', mkt_source: 'news', se_action: null, dt: '2024-06-01' });
    assert.equal(rows[1]!.se_action, 'play');
    assert.equal(rows[2]!.ct, '2024-06-01 10:00:05');
    assert.deepEqual([rows[3]!.event_id, rows[3]!.dt], [eid[2], '2024-06-02']);
    const badDays = await readdir(join(root, 'bad'));
    const bad = [];
    for (const d of badDays) for (const f of await readdir(join(root, 'bad', d))) {
      bad.push(...(await readFile(join(root, 'bad', d, f), 'utf8')).trim().split('\n').map((l) => JSON.parse(l)));
    }
    assert.equal(bad.length, 2);
    assert.ok(bad.some((b) => b.raw === 'not json' && /JSON/.test(b.reason)));
    assert.ok(bad.some((b) => /platform|p\b/.test(b.reason)));
  } finally { await rm(root, { recursive: true, force: true }); }
});

function toTsv(e: Record<string, unknown>): string {
  return atomicColumns.slice(0, ENRICHED_TSV_FIELDS).map((c) => {
    const v = e[c.name];
    if (v === undefined || v === null) return '';
    if (c.type === 'TIMESTAMP') return new Date(Number(v)).toISOString().replace('T', ' ').replace('Z', '');
    if (c.type === 'BOOLEAN') return v ? '1' : '0';
    return String(v);
  }).join('\t');
}

test('import of Snowplow enriched TSV (gzipped) keeps every field and rejects malformed lines', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-import-'));
  try {
    const events = [makeEvent(Date.UTC(2023, 2, 4, 5, 6, 7, 890), { contexts: '{"schema":"iglu:x","data":[]}' }), makeEvent(Date.UTC(2023, 2, 5))];
    const file = join(root, 'enriched.tsv.gz');
    await writeFile(file, gzipSync(`${events.map(toTsv).join('\n')}\nonly\tthree\tfields\n`));
    await importCommand([file], env(root));
    const rows = await queryParquet(root, (from) => `SELECT event_id, collector_tstamp::VARCHAR AS ct, tr_total::VARCHAR AS tt, br_cookies, contexts, page_urlport
      FROM ${from} ORDER BY collector_tstamp`);
    assert.deepEqual(rows[0], { event_id: events[0]!.event_id, ct: '2023-03-04 05:06:07.89', tt: '12.50', br_cookies: true, contexts: '{"schema":"iglu:x","data":[]}', page_urlport: 443 });
    assert.equal(rows.length, 2);
    assert.equal((await readdir(join(root, 'bad'))).length, 1);
    assert.match(JSON.stringify(tsvToEvent('a\tb')), /expected 131/);
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('import arguments', () => {
  assert.deepEqual(parseImportArgs(['a.ndjson', '--format=tsv', 'b']), { files: ['a.ndjson', 'b'], format: 'tsv' });
  assert.throws(() => parseImportArgs(['--format', 'csv', 'x']), /--format/);
  assert.throws(() => parseImportArgs([]), /usage/);
});
