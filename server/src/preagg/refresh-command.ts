// `webcube refresh`: the standalone pre-aggregation worker (Cube's refresh worker). Loads the
// model, cube.js and the source driver like the API server, then refreshes every
// CUBEJS_SCHEDULED_REFRESH_TIMER seconds (default 30) until SIGINT/SIGTERM, or once with --once.
// With the DuckDB store the file can be opened by one process only: run the worker inside
// `webcube server` (CUBEJS_REFRESH_WORKER=true) unless the store is MySQL.
import { resolve } from 'node:path';
import { loadServerConfig } from '../config.ts';
import { loadCubeOptions } from '../api/cube-options.ts';
import { openDriver } from '../api/open-driver.ts';
import { loadModel } from '../model/load-model.ts';
import type { CompiledModel } from '../model/types.ts';
import { openPreAggregations, type PreAggCubeOptions } from './open-pre-aggregations.ts';

const USAGE = 'usage: webcube refresh [--once] [--force] [--date-range 2026-01-01,2026-01-31] [--timezones UTC,Europe/Paris] [--pre-aggregations cube.name,...]';

export function parseRefreshArgs(args: readonly string[]) {
  const out: { once: boolean; force: boolean; dateRange?: [string, string]; timezones?: string[]; preAggregations?: string[] } = { once: false, force: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (!v) throw new Error(`${a} needs a value\n${USAGE}`);
      return v.split(',').map((s) => s.trim()).filter(Boolean);
    };
    if (a === '--once') out.once = true;
    else if (a === '--force') out.force = true;
    else if (a.startsWith('--date-range')) {
      const v = value();
      if (v.length !== 2 || !v.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))) throw new Error(`--date-range needs two dates, YYYY-MM-DD,YYYY-MM-DD\n${USAGE}`);
      out.dateRange = [v[0]!, v[1]!];
    }
    else if (a.startsWith('--timezones')) out.timezones = value();
    else if (a.startsWith('--pre-aggregations')) out.preAggregations = value();
    else if (a === '--help' || a === '-h') { process.stdout.write(`${USAGE}\n`); process.exit(0); }
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  return out;
}

export async function refreshCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  const cli = parseRefreshArgs(args);
  const config = loadServerConfig(env);
  const options = await loadCubeOptions(config.configFile);
  const ctx = { securityContext: {}, requestId: 'refresh-worker' };
  const loaded = await loadModel({ schemaPath: resolve(options.schemaPath ?? config.schemaPath), eventsTable: config.eventsTable });
  if (loaded.errors.length) {
    throw new Error(`model errors:\n${loaded.errors.map((e) => `${e.file}:${e.line} ${e.path}: ${e.message}`).join('\n')}`);
  }
  const model: CompiledModel = loaded.model;
  const driver = await openDriver(config, options, 'default', ctx);
  const dialect = typeof options.dbType === 'string' ? options.dbType : config.dbType;
  const log = (m: string) => process.stderr.write(`webcube refresh: ${m}\n`);
  const runtime = await openPreAggregations({
    env: { ...config.env, WEBCUBE_DATA_DIR: config.dataDir }, getModel: () => model, dialect, log,
    sourceSql: (sql, params, o) => driver.query(sql, params, o),
    options: options as PreAggCubeOptions, scheduler: false,
  });
  // --force (rebuild what the selector covers, frozen partitions included: late data) is a one-off.
  if ((cli.force || cli.dateRange) && !cli.once) throw new Error(`--force and --date-range go with --once\n${USAGE}`);
  const selector = { timezones: cli.timezones, preAggregations: cli.preAggregations, force: cli.force, dateRange: cli.dateRange };
  try {
    if (cli.once) {
      await runtime.lifecycle();
      const built = await runtime.preAggregations.refresh(selector);
      log(`${built.length} partition(s) built`);
      return;
    }
    const interval = (runtime.config.refreshTimerSeconds || 30) * 1000;
    let stop = false;
    const wake: { fn?: () => void } = {};
    const onSignal = () => { stop = true; wake.fn?.(); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    log(`refreshing every ${interval / 1000} s into ${runtime.config.extDbType} schema ${runtime.config.schema}`);
    while (!stop) {
      await runtime.lifecycle().catch((e: unknown) => log(`data lifecycle failed, retried next pass: ${(e as Error).message}`));
      try {
        const built = await runtime.preAggregations.refresh(selector);
        if (built.length) log(`${built.length} partition(s) built`);
      } catch (e) {
        log(`refresh failed: ${(e as Error).message}`);
      }
      await new Promise<void>((r) => { const t = setTimeout(r, interval); wake.fn = () => { clearTimeout(t); r(); }; });
    }
  } finally {
    await runtime.close();
    await driver.close();
  }
}
