// Snowplow's official Java tracker (Maven Central, resolved by Maven into ~/.m2, compiled with
// javac here: nothing committed but a pom and the sender's source) sends page views, structured
// and self-describing events with contexts, POST and plain or base64 JSON, to the collector;
// every column of the rows must say what the test told the tracker to send.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startHarness, type CollectorHarness } from './collector-harness.ts';

const FIXTURE = resolve(import.meta.dirname, 'fixtures', 'java-tracker');
const hasTools = ['mvn', 'javac', 'java'].every((t) => spawnSync(t, ['-version'], { stdio: 'ignore' }).status === 0);
let h: CollectorHarness;
let work: string;
let classPath: string;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args[0]} … failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

before(async () => {
  if (!hasTools) return;
  work = await mkdtemp(join(tmpdir(), 'webcube-java-tracker-'));
  const cpFile = join(work, 'cp.txt');
  run('mvn', ['-q', '-B', 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], FIXTURE);
  const deps = readFileSync(cpFile, 'utf8').trim();
  run('javac', ['-cp', deps, '-d', join(work, 'classes'), join(FIXTURE, 'SendEvents.java')], work);
  classPath = `${join(work, 'classes')}:${deps}`;
  h = await startHarness();
});

after(async () => {
  await h?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const subject = {
  userId: 'java-user-7', screenWidth: 1920, screenHeight: 1080, viewWidth: 1280, viewHeight: 720,
  language: 'de-DE', timezone: 'Europe/Berlin', useragent: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  domainUserId: '3f9d8e2a-1b4c-4d5e-8f60-718293a4b5c6',
};
const ctx = (n: number) => ({ schema: 'iglu:com.acme/server_context/jsonschema/1-0-0', data: { host: `app-${n}`, build: 40 + n } });
const events = [
  { kind: 'page_view', pageUrl: 'https://shop.example.com/p/42?utm_source=newsletter&utm_medium=email', pageTitle: 'Product 42', referrer: 'https://www.google.com/search?q=shoes', contexts: [ctx(1)], trueTimestamp: 1767225600123 },
  { kind: 'struct', category: 'checkout', action: 'add', label: 'sku-42', property: 'size-9', value: 59.9, contexts: [ctx(2), ctx(3)], trueTimestamp: 1767225601000 },
  { kind: 'self_describing', event: { schema: 'iglu:com.acme/purchase/jsonschema/1-0-2', data: { orderId: 'o-1', total: 119.8, items: ['sku-42', 'sku-43'] } }, contexts: [ctx(4)], trueTimestamp: 1767225602000 },
];

/** Runs the sender as a child process without blocking: the collector answers in this process. */
function runAsync(cmd: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}:\n${out}\n${err}`))));
  });
}

async function send(appId: string, base64: boolean): Promise<Map<string, string>> {
  const spec = { collectorUrl: h.collector.url, namespace: `ns-${appId}`, appId, platform: 'ServerSideApp', base64, batchSize: 2, subject, events };
  const out = await runAsync('java', ['-cp', classPath, 'SendEvents', JSON.stringify(spec)], work);
  const ids = new Map(out.trim().split('\n').map((l) => l.split(' ') as [string, string]).map(([kind, id]) => [id, kind]));
  assert.equal(ids.size, events.length, out);
  return ids;
}

type Row = Record<string, string | number | boolean | null>;

test('the Java tracker\'s page view, structured and self-describing events land with every column as sent', { skip: !hasTools && 'no mvn/javac' }, async () => {
  const plain = await send('java-plain', false);
  const encoded = await send('java-b64', true);
  const sent = new Map([...plain, ...encoded]);
  await h.collector.store.flush();
  const bad = existsSync(join(h.dir, 'bad')) ? await h.badRows() : [];
  assert.deepEqual(bad, [], 'nothing the tracker sent was refused');
  const rows = await h.events<Row>(`SELECT event_id, app_id, platform, event, name_tracker, v_tracker, user_id, domain_userid,
    dvce_screenwidth, dvce_screenheight, br_viewwidth, br_viewheight, br_lang, os_timezone, useragent, br_family,
    epoch_ms(true_tstamp) AS true_ms, page_url, page_urlpath, page_title, page_referrer, refr_urlhost, refr_medium, refr_source,
    mkt_source, mkt_medium, se_category, se_action, se_label, se_property, se_value,
    event_vendor, event_name, event_format, event_version, unstruct_event, contexts
    FROM events WHERE app_id LIKE 'java-%' ORDER BY app_id, true_tstamp`);
  assert.deepEqual(new Set(rows.map((r) => r.event_id)), new Set(sent.keys()), 'every event arrived, once, with the tracker\'s event id');

  for (const appId of ['java-plain', 'java-b64']) {
    const mine = rows.filter((r) => r.app_id === appId);
    assert.equal(mine.length, 3);
    for (const [i, r] of mine.entries()) {
      const e = events[i]!;
      assert.equal(sent.get(String(r.event_id)), e.kind);
      assert.equal(r.platform, 'srv');
      assert.equal(r.name_tracker, `ns-${appId}`);
      assert.equal(r.v_tracker, 'java-1.0.1');
      assert.equal(r.user_id, subject.userId);
      assert.equal(r.domain_userid, subject.domainUserId);
      assert.equal(r.dvce_screenwidth, subject.screenWidth);
      assert.equal(r.dvce_screenheight, subject.screenHeight);
      assert.equal(r.br_viewwidth, subject.viewWidth);
      assert.equal(r.br_viewheight, subject.viewHeight);
      assert.equal(r.br_lang, subject.language);
      assert.equal(r.os_timezone, subject.timezone);
      assert.equal(r.useragent, subject.useragent);
      assert.equal(r.br_family, 'Firefox', 'the user agent the tracker sent is the one parsed');
      assert.equal(Number(r.true_ms), e.trueTimestamp);
      const contexts = JSON.parse(String(r.contexts));
      assert.equal(contexts.schema, 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1');
      assert.deepEqual(contexts.data, e.contexts, 'the custom contexts, in order, as sent');
    }
    const [pv, se, sd] = mine as [Row, Row, Row];
    const pvSent = events[0] as typeof events[0] & { pageUrl: string; pageTitle: string; referrer: string };
    assert.equal(pv.event, 'page_view');
    assert.equal(pv.page_url, pvSent.pageUrl);
    assert.equal(pv.page_urlpath, '/p/42');
    assert.equal(pv.page_title, pvSent.pageTitle);
    assert.equal(pv.page_referrer, pvSent.referrer);
    assert.equal(pv.refr_urlhost, 'www.google.com');
    assert.equal(pv.refr_medium, 'search');
    assert.equal(pv.refr_source, 'Google');
    assert.equal(pv.mkt_source, 'newsletter');
    assert.equal(pv.mkt_medium, 'email');

    const seSent = events[1] as typeof events[1] & { category: string; action: string; label: string; property: string; value: number };
    assert.equal(se.event, 'struct');
    assert.equal(se.se_category, seSent.category);
    assert.equal(se.se_action, seSent.action);
    assert.equal(se.se_label, seSent.label);
    assert.equal(se.se_property, seSent.property);
    assert.equal(se.se_value, seSent.value);
    assert.equal(se.page_url, null);

    const sdSent = (events[2] as { event: { schema: string; data: unknown } }).event;
    assert.equal(sd.event, 'unstruct');
    assert.equal(sd.event_vendor, 'com.acme');
    assert.equal(sd.event_name, 'purchase');
    assert.equal(sd.event_format, 'jsonschema');
    assert.equal(sd.event_version, '1-0-2');
    const ue = JSON.parse(String(sd.unstruct_event));
    assert.equal(ue.schema, 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0');
    assert.deepEqual(ue.data, sdSent);
  }
});
