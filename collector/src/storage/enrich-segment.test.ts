// enrichSegment's day report: the writer skips partitioning only when every good event is on one UTC day.
// Older-format lines (enriched events, bad rows) pass through to the output as they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRawRecord } from '../protocol/raw-record.ts';
import { createEnrichContext } from '../process-event.ts';
import { enrichSegment } from './enrich-segment.ts';
import { serialize } from './serialize.ts';
import { makeEvent } from './test-events.ts';

const ctx = createEnrichContext({ geoip: 'off' });
const body = (eids: string[]) => JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4',
  data: eids.map((eid) => ({ e: 'pv', p: 'web', tv: 'js-4.10.1', eid, url: 'https://a.example/' })) });
const raw = (t: number, eids: string[]) => encodeRawRecord({ t, src: 'tp2' }, body(eids));
const eid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

async function run(lines: string): Promise<ReturnType<typeof enrichSegment> & { good: number; badLines: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-enrich-'));
  try {
    await writeFile(join(dir, 'seg'), lines);
    let good = 0;
    const badLines: string[] = [];
    const r = enrichSegment(join(dir, 'seg'), { good: () => { good += 1; }, bad: (line) => badLines.push(line) }, ctx);
    return { ...r, good, badLines };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('one UTC day is reported; two days, older-format lines or no good event report none', async () => {
  const late = Date.UTC(2026, 0, 2, 23, 59, 59, 900);
  const next = Date.UTC(2026, 0, 3, 0, 0, 0, 100);
  assert.equal((await run(raw(next, [eid(1), eid(2)]) + raw(next + 5000, [eid(3)]))).dt, '2026-01-03');
  assert.equal((await run(raw(late, [eid(1)]) + raw(next, [eid(2)]))).dt, undefined);
  const older = await run(raw(next, [eid(1)]) + serialize([makeEvent(next)], []));
  assert.equal(older.dt, '2026-01-03', 'an older enriched line counts by its own collector_tstamp');
  assert.equal(older.good, 2);
  assert.equal((await run(raw(next, [eid(1)]) + serialize([makeEvent(late)], []))).dt, undefined, 'an older line of another day');
  const withBad = await run(raw(next, [eid(1)]) + serialize([], [{ raw: '{}', reason: 'r', time: late }]));
  assert.equal(withBad.dt, '2026-01-03', 'bad rows are written apart and do not count');
  assert.deepEqual(withBad.badLines.map((l) => (JSON.parse(l) as { bad: { reason: string } }).bad.reason), ['r']);
  assert.equal(withBad.hasBad, true);
  assert.equal((await run(raw(next, ['not-a-uuid']))).dt, undefined, 'no good event');
});

test('a record whose enrichment throws becomes one bad row with the reason; the records around it are enriched', async () => {
  const t = Date.UTC(2026, 0, 3);
  // Lines no collector writes (a corrupt spool): a query that is no query string, a user agent that is no string.
  const badQuery = `{"wc_raw":1,"m":{"t":${t},"src":{"not":"a string"},"q":[[1]]},"body":${body([eid(2)])}}\n`;
  const badUa = `{"wc_raw":1,"m":{"t":${t},"src":"tp2","ua":{"x":1}},"body":${body([eid(3)])}}\n`;
  const r = await run(raw(t, [eid(1)]) + badQuery + badUa + raw(t, [eid(4)]));
  assert.equal(r.good, 2);
  const bad = r.badLines.map((l) => (JSON.parse(l) as { bad: { raw: string; reason: string; source: string } }).bad);
  assert.equal(bad.length, 2);
  assert.match(bad[0]!.reason, /^enrichment_failure: /);
  assert.equal(bad[0]!.raw, badQuery.trimEnd(), 'the whole spool line is kept');
  assert.equal(bad[0]!.source, 'tp2', 'a source that is no string is not trusted');
  assert.match(bad[1]!.reason, /^enrichment_failure: /, 'an event that throws is a bad row of its own');
  assert.deepEqual([r.received, r.accepted, r.bad], [4, 2, 2]);
});
