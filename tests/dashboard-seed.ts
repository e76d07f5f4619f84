// Test data for the dashboard tests: a small, deterministic set of web sessions over the last 35 days,
// written as Hive-partitioned zstd Parquet with the atomic columns, as the collector writes them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { atomicColumns } from '@webcube/collector';

type Row = Record<string, string | number | boolean | null>;

/** mulberry32: a tiny seeded PRNG so every run writes the same traffic. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNTRIES = [['US', 'New York'], ['DE', 'Berlin'], ['FR', 'Paris'], ['GB', 'London'], ['IN', 'Mumbai'], ['BR', 'São Paulo']] as const;
const DEVICES = [['Computer', 'Chrome', 'Windows', 1920, 1080], ['Mobile', 'Safari', 'iOS', 390, 844], ['Tablet', 'Chrome', 'Android', 800, 1280]] as const;
const PAGES = ['/', '/pricing', '/docs', '/blog/launch', '/signup'] as const;
const SOURCES: readonly Row[] = [
  { refr_medium: 'search', refr_source: 'Google', refr_urlhost: 'www.google.com' },
  { refr_medium: 'social', refr_source: 'Facebook', refr_urlhost: 'www.facebook.com' },
  { mkt_source: 'newsletter', mkt_medium: 'email', mkt_campaign: 'spring_sale' },
  { mkt_source: 'google', mkt_medium: 'cpc', mkt_campaign: 'brand' },
  {},
];

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

export type SeedResult = Readonly<{ events: number; sessions: number; days: number }>;

/** Writes sessions for `days` days ending today (UTC); today's sessions all start before `now`. */
export async function seedEvents(root: string, opts: { days?: number; seed?: number; now?: Date; site?: string } = {}): Promise<SeedResult> {
  const now = opts.now ?? new Date();
  const days = opts.days ?? 35;
  const site = opts.site ?? 'shop';
  const rand = rng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const users = Array.from({ length: 60 }, () => ({
    id: randomUUID(), idx: 0, country: pick(COUNTRIES), device: pick(DEVICES), lang: pick(['en-us', 'de-de', 'fr-fr']),
  }));
  const rows: Row[] = [];
  let sessions = 0;
  const todayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = todayStart - d * 86_400_000;
    const count = 4 + Math.floor(rand() * 8);
    for (let s = 0; s < count; s++) {
      let start = dayStart + Math.floor(rand() * 86_400_000);
      if (start > now.getTime() - 3_600_000) start = Math.max(dayStart, now.getTime() - 3_600_000 - Math.floor(rand() * 3_600_000));
      if (start < dayStart) continue;
      const user = pick(users);
      user.idx += 1;
      sessions += 1;
      const sessionId = randomUUID();
      const source = pick(SOURCES);
      const views = 1 + Math.floor(rand() * 3);
      let t = start;
      for (let v = 0; v < views; v++) {
        const path = v === 0 ? pick(PAGES.slice(0, 4)) : pick(PAGES);
        const pageViewId = randomUUID();
        const base: Row = {
          app_id: site, platform: 'web', v_collector: 'test', v_etl: 'test', v_tracker: 'js-4.10.1',
          domain_userid: user.id, domain_sessionid: sessionId, domain_sessionidx: user.idx,
          geo_country: user.country[0], geo_city: user.country[1],
          dvce_type: user.device[0], dvce_ismobile: user.device[0] !== 'Computer', br_family: user.device[1], os_family: user.device[2],
          dvce_screenwidth: user.device[3], dvce_screenheight: user.device[4], br_viewwidth: user.device[3], br_viewheight: user.device[4] - 100,
          doc_width: user.device[3], doc_height: 3000, br_lang: user.lang,
          page_url: `https://shop.example${path}`, page_urlscheme: 'https', page_urlhost: 'shop.example', page_urlpath: path,
          page_title: `Shop ${path}`, is_bot: false, web_page_id: pageViewId,
          event_vendor: 'com.snowplowanalytics.snowplow', event_format: 'jsonschema', event_version: '1-0-0',
          ...(v === 0 ? source : { refr_medium: 'internal', refr_urlhost: 'shop.example' }),
        };
        rows.push({ ...base, event: 'page_view', event_name: 'page_view', event_id: randomUUID(), collector_tstamp: iso(t), derived_tstamp: iso(t), dvce_created_tstamp: iso(t) });
        const pings = Math.floor(rand() * 4);
        for (let p = 1; p <= pings; p++) {
          const pt = t + p * 10_000;
          rows.push({ ...base, event: 'page_ping', event_name: 'page_ping', event_id: randomUUID(), collector_tstamp: iso(pt), derived_tstamp: iso(pt), dvce_created_tstamp: iso(pt),
            pp_xoffset_min: 0, pp_xoffset_max: 0, pp_yoffset_min: 0, pp_yoffset_max: 600 * p });
        }
        if (path === '/signup' && rand() < 0.6) {
          const et = t + 5_000;
          rows.push({ ...base, event: 'unstruct', event_name: 'sign_up', event_vendor: 'com.example', event_id: randomUUID(),
            collector_tstamp: iso(et), derived_tstamp: iso(et), dvce_created_tstamp: iso(et) });
        }
        t += 40_000 + Math.floor(rand() * 60_000);
      }
    }
  }
  await writeParquet(root, rows);
  return { events: rows.length, sessions, days };
}

/** Writes rows through DuckDB with the canonical column types, one part file per UTC day. */
export async function writeParquet(root: string, rows: readonly Row[]): Promise<void> {
  const tmp = join(root, `seed-${randomUUID()}.ndjson`);
  await mkdir(join(root, 'events'), { recursive: true });
  await writeFile(tmp, rows.map((r) => JSON.stringify(r)).join('\n'));
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const columns = atomicColumns.map((c) => `'${c.name}': '${c.type}'`).join(', ');
    await conn.run(`CREATE TABLE seed AS SELECT * FROM read_json('${tmp}', format = 'newline_delimited', columns = {${columns}})`);
    const dts = (await conn.runAndReadAll(`SELECT DISTINCT strftime(collector_tstamp, '%Y-%m-%d') AS dt FROM seed`)).getRowObjectsJson();
    for (const { dt } of dts as { dt: string }[]) {
      const dir = join(root, 'events', `dt=${dt}`);
      await mkdir(dir, { recursive: true });
      await conn.run(`COPY (SELECT * FROM seed WHERE strftime(collector_tstamp, '%Y-%m-%d') = '${dt}' ORDER BY collector_tstamp)
        TO '${join(dir, `part-${dt}-${randomUUID()}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
    }
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}
