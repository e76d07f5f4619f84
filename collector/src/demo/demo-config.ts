// `webcube demo` settings: environment first (WEBCUBE_DEMO_*), then command-line flags on top.
import { z } from 'zod';

export interface DemoConfig {
  readonly dataDir: string;
  readonly collectorUrl: string;
  readonly days: number;
  readonly live: boolean;
  readonly seed: string;
  readonly sessionsPerDay: number;
  readonly liveSessionsPerMinute: number;
  readonly sites: readonly string[];
  /** Stop live traffic after this many seconds; 0 = until interrupted. */
  readonly durationS: number;
}

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const fields = {
  WEBCUBE_DATA_DIR: z.string().min(1).default('./data'),
  WEBCUBE_DEMO_COLLECTOR_URL: z.url().default('http://127.0.0.1:8080'),
  WEBCUBE_DEMO_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  WEBCUBE_DEMO_LIVE: bool.default(true),
  WEBCUBE_DEMO_SEED: z.string().min(1).default('webcube'),
  WEBCUBE_DEMO_SESSIONS_PER_DAY: z.coerce.number().int().min(1).max(10_000_000).default(400),
  WEBCUBE_DEMO_LIVE_SESSIONS_PER_MINUTE: z.coerce.number().min(0.1).max(100_000).default(6),
  WEBCUBE_DEMO_SITES: z.string().regex(/^[\w.-]+(,[\w.-]+)*$/).default('demo-site'),
  WEBCUBE_DEMO_DURATION_S: z.coerce.number().int().min(0).default(0),
} as const;

const flags: Record<string, keyof typeof fields> = {
  '--data-dir': 'WEBCUBE_DATA_DIR', '--collector': 'WEBCUBE_DEMO_COLLECTOR_URL', '--days': 'WEBCUBE_DEMO_DAYS',
  '--seed': 'WEBCUBE_DEMO_SEED', '--sessions-per-day': 'WEBCUBE_DEMO_SESSIONS_PER_DAY',
  '--live-rate': 'WEBCUBE_DEMO_LIVE_SESSIONS_PER_MINUTE', '--sites': 'WEBCUBE_DEMO_SITES', '--duration': 'WEBCUBE_DEMO_DURATION_S',
};

export const demoUsage = `usage: webcube demo [--days N] [--live | --no-live] [--collector URL] [--data-dir DIR]
                   [--seed S] [--sessions-per-day N] [--live-rate SESSIONS_PER_MIN] [--sites a,b] [--duration SECONDS]

Writes N days of realistic history (default 30) into the data dir through the collector's
enrichment, then keeps sending live traffic through the Snowplow node tracker to the collector.
`;

/** Pure: env + argv → validated, frozen config. Throws an Error naming the bad variable or flag. */
export function loadDemoConfig(env: Record<string, string | undefined>, args: readonly string[] = []): DemoConfig {
  const raw: Record<string, string | undefined> = {};
  for (const name of Object.keys(fields)) raw[name] = env[name] === '' ? undefined : env[name];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--live') { raw.WEBCUBE_DEMO_LIVE = 'true'; continue; }
    if (flag === '--no-live') { raw.WEBCUBE_DEMO_LIVE = 'false'; continue; }
    const name = flags[flag];
    if (!name) throw new Error(`unknown option ${arg}\n\n${demoUsage}`);
    const value = inline ?? args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    raw[name] = value;
  }
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(fields)) {
    const r = (schema as z.ZodType).safeParse(raw[name]);
    if (!r.success) throw new Error(`${name}: invalid value ${JSON.stringify(raw[name])} (${r.error.issues[0]?.message ?? 'invalid'})`);
    out[name] = r.data;
  }
  const p = out as { [K in keyof typeof fields]: z.output<(typeof fields)[K]> };
  return Object.freeze({
    dataDir: p.WEBCUBE_DATA_DIR,
    collectorUrl: p.WEBCUBE_DEMO_COLLECTOR_URL,
    days: p.WEBCUBE_DEMO_DAYS,
    live: p.WEBCUBE_DEMO_LIVE,
    seed: p.WEBCUBE_DEMO_SEED,
    sessionsPerDay: p.WEBCUBE_DEMO_SESSIONS_PER_DAY,
    liveSessionsPerMinute: p.WEBCUBE_DEMO_LIVE_SESSIONS_PER_MINUTE,
    sites: Object.freeze(p.WEBCUBE_DEMO_SITES.split(',')),
    durationS: p.WEBCUBE_DEMO_DURATION_S,
  });
}
