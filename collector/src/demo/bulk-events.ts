// Millions of realistic events fast, for benchmarks: generated inside DuckDB (hash-seeded, so a
// seed always gives the same data) and written straight to the collector's Parquet layout,
// one day at a time. Same shape as the demo traffic: sessions of page views with pings,
// Zipf-ish page popularity, search/social/email/paid/referral sources, countries, devices, a
// checkout funnel with drop-off and ~3 % crawlers. ~9 events per session on average.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { countries, devices, pages } from './catalog.ts';
import { atomicSelectList } from './write-parquet.ts';

export interface BulkOptions {
  readonly dataDir: string;
  /** Approximate number of events to write. */
  readonly events: number;
  readonly days: number;
  /** The last day (UTC) written; default today. */
  readonly endMs?: number;
  readonly seed?: number;
  readonly appId?: string;
  readonly threads?: number;
  readonly onDay?: (day: string, done: number, total: number) => void;
}

export const EVENTS_PER_SESSION = 9.3;
const DAY = 86_400_000;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const list = (xs: readonly string[]) => `[${xs.map(lit).join(', ')}]`;

/** Events of one day: sessions `first` .. `first + n - 1` starting on `dayMs`. */
function daySql(dayMs: number, first: number, n: number, seed: number, appId: string, out: string): string {
  const h = (salt: string) => `hash(${seed}, gi, ${salt})`;
  const u = (salt: string) => `(${h(salt)} % 1000000) / 1000000.0`;
  const paths = list(pages.map((p) => p.path)), titles = list(pages.map((p) => p.title));
  const cc = list(countries.map((c) => c.code)), ips = list(countries.map((c) => c.blocks[0]));
  const langs = list(countries.map((c) => c.lang)), uas = list(devices.map((d) => d.ua));
  const dtype = list(devices.map((d) => (d.kind === 'desktop' ? 'Computer' : d.kind === 'mobile' ? 'Mobile' : 'Tablet')));
  const bfam = list(devices.map((d) => (/Edg\//.test(d.ua) ? 'Edge' : /Firefox/.test(d.ua) ? 'Firefox' : /SamsungBrowser/.test(d.ua) ? 'Samsung Internet' : /Chrome/.test(d.ua) ? 'Chrome' : 'Safari')));
  const ofam = list(devices.map((d) => (/Windows/.test(d.ua) ? 'Windows' : /iPhone|iPad/.test(d.ua) ? 'iOS' : /Android/.test(d.ua) ? 'Android' : /Mac OS/.test(d.ua) ? 'macOS' : 'Linux')));
  const vh = `[${devices.map((d) => d.viewport[1]).join(', ')}]`;
  // Returning visitors: users are drawn from a pool ~0.7 × the sessions so far.
  const users = Math.max(1, Math.round((first + n) * 0.7));
  // Session-level draws, then page views (1–4), pings (0–5 per view) and funnel events.
  const sessions = `SELECT i + ${first} AS gi,
      ${dayMs} + CAST(${h('1')} % ${DAY} AS BIGINT) AS st,
      to_hex(hash(${seed}, ${h('2')} % ${users}, 'u1')) || to_hex(hash(${h('2')} % ${users}, 'u2')) AS duid,
      to_hex(${h("'s1'")}) || to_hex(${h("'s2'")}) AS sid,
      1 + CAST(${h('3')} % 3 AS INTEGER) AS vid,
      CAST(${h('4')} % 100 AS INTEGER) AS rc,
      1 + CAST(${h('5')} % ${countries.length} AS INTEGER) AS ci,
      1 + CAST(${h('6')} % ${devices.length} AS INTEGER) AS di,
      ${h('7')} % 100 < 3 AS bot,
      1 + CAST(${h('8')} % 4 AS INTEGER) AS npv,
      CAST(${h('9')} % 100 AS INTEGER) AS rf
    FROM range(${n}) t(i)`;
  const views = `SELECT s.*, unnest(range(npv)) AS k FROM s`;
  const viewRows = `SELECT *, st + k * 45000 AS t, to_hex(hash(sid, k, 'p1')) || to_hex(hash(sid, k, 'p2')) AS pvid,
      CASE WHEN k = 0 AND rf < 30 THEN 5 + CAST(hash(gi, k, 11) % 8 AS INTEGER)
        ELSE 1 + CAST(floor(pow((hash(gi, k, 10) % 1000000) / 1000000.0, 2.5) * ${pages.length}) AS INTEGER) END AS pi,
      CASE WHEN bot THEN 0 ELSE CAST(hash(gi, k, 12) % 6 AS INTEGER) END AS np
    FROM v`;
  const funnel = (name: string, below: number, offset: number) =>
    `SELECT 'unstruct' AS event, ${lit(name)} AS event_name, gi, st, duid, sid, vid, rc, ci, di, bot, to_hex(hash(sid, 0, 'p1')) || to_hex(hash(sid, 0, 'p2')) AS pvid, 5 + CAST(hash(gi, 0, 11) % 8 AS INTEGER) AS pi, st + ${offset} AS t, NULL AS y
     FROM s WHERE NOT bot AND rf < ${below}`;
  const events = `
      SELECT 'page_view' AS event, 'page_view' AS event_name, gi, st, duid, sid, vid, rc, ci, di, bot, pvid, pi, t, NULL AS y FROM pv
      UNION ALL
      SELECT 'page_ping', 'page_ping', gi, st, duid, sid, vid, rc, ci, di, bot, pvid, pi, t + (5 + 10 * j) * 1000, 400 * (j + 1)
        FROM (SELECT *, unnest(range(np)) AS j FROM pv)
      UNION ALL ${funnel('add_to_cart', 30, 30_000)}
      UNION ALL ${funnel('begin_checkout', 15, 90_000)}
      UNION ALL ${funnel('purchase', 8, 150_000)}`;
  const ref = `CASE WHEN rc < 25 THEN NULL WHEN rc < 55 THEN 'https://www.google.com/search?q=analytics' WHEN rc < 62 THEN 'https://www.bing.com/search?q=analytics'
      WHEN rc < 72 THEN 'https://www.facebook.com/' WHEN rc < 80 THEN 'https://t.co/x1Yz' WHEN rc < 90 THEN 'https://dev.to/someone/post' ELSE NULL END`;
  const col: Record<string, string> = {
    app_id: lit(appId), platform: "'web'", event: 'event', event_id: "to_hex(hash(sid, event_name, t, 'e1')) || to_hex(hash(sid, event_name, t, 'e2'))",
    event_name: 'event_name', event_vendor: "CASE WHEN event = 'unstruct' THEN 'io.webcube.demo' ELSE 'com.snowplowanalytics.snowplow' END",
    event_format: "'jsonschema'", event_version: "'1-0-0'", name_tracker: "'bulk'", v_tracker: "'js-4.10.1'", v_collector: "'webcube-bulk'", v_etl: "'webcube-bulk'",
    collector_tstamp: 'epoch_ms(t + 150)', dvce_created_tstamp: 'epoch_ms(t)', dvce_sent_tstamp: 'epoch_ms(t)', derived_tstamp: 'epoch_ms(t)', etl_tstamp: 'epoch_ms(t + 200)', load_tstamp: 'epoch_ms(t + 300)',
    domain_userid: 'duid', domain_sessionid: 'sid', domain_sessionidx: 'vid', network_userid: 'duid',
    user_ipaddress: `${ips}[ci] || CAST(1 + gi % 250 AS VARCHAR)`, geo_country: `${cc}[ci]`,
    page_url: `'https://www.webcube-demo.com' || ${paths}[pi] || CASE WHEN rc >= 90 AND rc < 95 THEN '?utm_source=newsletter&utm_medium=email&utm_campaign=monthly-digest' WHEN rc >= 95 THEN '?utm_source=google&utm_medium=cpc&utm_campaign=brand' ELSE '' END`,
    page_title: `${titles}[pi]`, page_urlscheme: "'https'", page_urlhost: "'www.webcube-demo.com'", page_urlport: '443', page_urlpath: `${paths}[pi]`,
    page_referrer: ref, refr_urlhost: `CASE WHEN rc < 25 OR rc >= 90 THEN NULL WHEN rc < 55 THEN 'www.google.com' WHEN rc < 62 THEN 'www.bing.com' WHEN rc < 72 THEN 'www.facebook.com' WHEN rc < 80 THEN 't.co' ELSE 'dev.to' END`,
    refr_medium: `CASE WHEN rc < 25 OR rc >= 90 THEN NULL WHEN rc < 62 THEN 'search' WHEN rc < 80 THEN 'social' ELSE 'unknown' END`,
    refr_source: `CASE WHEN rc < 25 OR rc >= 90 THEN NULL WHEN rc < 55 THEN 'Google' WHEN rc < 62 THEN 'Bing' WHEN rc < 72 THEN 'Facebook' WHEN rc < 80 THEN 'Twitter' ELSE NULL END`,
    mkt_source: "CASE WHEN rc >= 95 THEN 'google' WHEN rc >= 90 THEN 'newsletter' END",
    mkt_medium: "CASE WHEN rc >= 95 THEN 'cpc' WHEN rc >= 90 THEN 'email' END",
    mkt_campaign: "CASE WHEN rc >= 95 THEN 'brand' WHEN rc >= 90 THEN 'monthly-digest' END",
    useragent: `CASE WHEN bot THEN 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' ELSE ${uas}[di] END`,
    br_family: `CASE WHEN bot THEN 'Googlebot' ELSE ${bfam}[di] END`, os_family: `CASE WHEN bot THEN NULL ELSE ${ofam}[di] END`,
    dvce_type: `CASE WHEN bot THEN NULL ELSE ${dtype}[di] END`, dvce_ismobile: `${dtype}[di] <> 'Computer'`, br_lang: `${langs}[ci]`,
    br_viewheight: `${vh}[di]`, doc_height: '4000', pp_yoffset_min: "CASE WHEN event = 'page_ping' THEN 0 END", pp_yoffset_max: 'y',
    is_bot: 'bot', web_page_id: 'pvid',
    unstruct_event: `CASE WHEN event = 'unstruct' THEN '{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":{"schema":"iglu:io.webcube.demo/' || event_name || '/jsonschema/1-0-0","data":{}}}' END`,
  };
  return `COPY (
    WITH s AS (${sessions}), v AS (${views}), pv AS (${viewRows}), e AS (${events})
    SELECT ${atomicSelectList((name) => col[name])}, strftime(epoch_ms(t + 150), '%Y-%m-%d') AS dt
    FROM e
  ) TO ${lit(out)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt), APPEND, FILENAME_PATTERN 'part-bulk-{uuid}', ROW_GROUP_SIZE 122880)`;
}

/** Writes ~`events` events over `days` days ending at `endMs` into `<dataDir>/events`. */
export async function generateBulkEvents(opts: BulkOptions): Promise<{ sessions: number; days: number }> {
  const seed = opts.seed ?? 42;
  const endDay = Math.floor((opts.endMs ?? Date.now()) / DAY) * DAY;
  const perDay = Math.max(1, Math.round(opts.events / EVENTS_PER_SESSION / opts.days));
  const out = join(opts.dataDir, 'events');
  await mkdir(out, { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { threads: String(opts.threads ?? 2), preserve_insertion_order: 'false', memory_limit: '2GB' });
  const conn = await db.connect();
  try {
    for (let d = 0; d < opts.days; d++) {
      const dayMs = endDay - (opts.days - 1 - d) * DAY;
      await conn.run(daySql(dayMs, d * perDay, perDay, seed, opts.appId ?? 'demo-site', out));
      opts.onDay?.(new Date(dayMs).toISOString().slice(0, 10), d + 1, opts.days);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
  return { sessions: perDay * opts.days, days: opts.days };
}
