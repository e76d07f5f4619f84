// Opens the source-engine driver for a data source: cube.js `driverFactory` first (one of
// Cube's driver instances, or a `{ type, ... }` config), else drivers/ from CUBEJS_DB_* (or
// CUBEJS_DS_<NAME>_DB_* for a named data source, as Cube's multiple data sources).
import { createDriver, loadDriverConfig, type Driver, type DriverConfig } from '../drivers/index.ts';
import { CubeJsDriverAdapter, type CubeJsDriverLike } from '../drivers/cubejs-driver-adapter.ts';
import type { ServerConfig } from '../config.ts';
import type { CubeOptions, RequestContext } from './cube-options.ts';

export type SourceDriver = Driver;

export async function openDriver(config: ServerConfig, options: CubeOptions, dataSource: string, ctx: RequestContext): Promise<SourceDriver> {
  const made = options.driverFactory ? await options.driverFactory({ ...ctx, dataSource }) : undefined;
  if (made && typeof (made as { query?: unknown }).query === 'function') {
    const type = String(options.dbType && typeof options.dbType === 'string' ? options.dbType : config.dbType);
    return new CubeJsDriverAdapter(type, type === 'prestodb' ? 'presto' : type, made as CubeJsDriverLike, 600_000);
  }
  const env: Record<string, string | undefined> = { ...config.env, WEBCUBE_DATA_DIR: config.dataDir };
  const type = (made as { type?: string } | undefined)?.type ?? (typeof options.dbType === 'string' ? options.dbType : undefined);
  if (type) env.CUBEJS_DB_TYPE = type;
  const base = loadDriverConfig(env, dataSource === 'default' ? undefined : dataSource);
  const merged = { ...base, ...(made && typeof made === 'object' ? made as object : {}) } as DriverConfig;
  return createDriver(merged.type, merged);
}
