// PrestoDB and Trino for the tests: the engines `webcube stack` runs, started once per test run
// by tests/run.mjs (ports passed in WEBCUBE_TEST_ENGINES) and shared by every test file. A file
// run on its own starts them itself (and leaves them running for the next run). Each test gets
// its own schema, so files can share an engine.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { engines, type EngineName } from '../bin/stack/engine-spec.ts';
import { startEngine } from '../bin/stack/engine-process.ts';
import { registerEvents } from '../bin/stack/register-events.ts';
import { partitionSyncStatement } from '../collector/src/atomic/ddl.ts';
import { runStatement } from '../bin/stack/statement-client.ts';
import { loadDriverConfig } from '../server/src/drivers/driver-config.ts';
import { createDriver } from '../server/src/drivers/create-driver.ts';
import type { Driver } from '../server/src/drivers/types.ts';

export type { EngineName };
export const ENGINE_NAMES: readonly EngineName[] = ['presto', 'trino'];

/**
 * The JVMs run in a zone that is neither UTC nor the sessions': times must not depend on it.
 * (Presto's JVM pins itself to UTC, which its Hive writes need: bin/stack/engine-spec.ts.)
 */
export const TEST_ENGINE_JVM_ZONE = 'America/Sao_Paulo';
export const TEST_STACK_DIR = join(tmpdir(), 'webcube-test-stack');

export interface TestEngine {
  readonly name: EngineName;
  readonly port: number;
  /** Runs one statement (DDL, fixture rows) and returns its rows as arrays. */
  run(sql: string, options?: { timezone?: string }): Promise<unknown[][]>;
  /** The API's settings for this engine with `catalog.schema` as the default schema. */
  settings(catalog: string, schema: string): Record<string, string>;
  /** A driver of the API (Cube's Presto/Trino driver behind ours) on `catalog.schema`. */
  driver(catalog: string, schema: string): Promise<Driver>;
  /** Registers `<dataDir>/events` as `hive.<schema>.events` with its partitions; returns the table's name. */
  registerEvents(dataDir: string, schema: string): Promise<string>;
  /** Loads the dt= folders written since the table was registered. */
  syncPartitions(schema: string): Promise<void>;
}

let counter = 0;
/** A schema name no other test (or test process) uses. */
export const uniqueSchema = (prefix: string) => `${prefix}_${process.pid}_${++counter}`;

function portsFromEnv(): Partial<Record<EngineName, number>> {
  const raw = process.env.WEBCUBE_TEST_ENGINES;
  if (!raw) return {};
  return Object.fromEntries(raw.split(',').map((pair) => pair.split('=')).map(([name, port]) => [name, Number(port)]));
}

const started = new Map<EngineName, Promise<number>>();

function enginePort(name: EngineName): Promise<number> {
  const known = portsFromEnv()[name];
  if (known) return Promise.resolve(known);
  if (!started.has(name)) {
    started.set(name, startEngine(engines[name], {
      cacheDir: process.env.WEBCUBE_CACHE_DIR || join(process.env.HOME ?? tmpdir(), '.cache', 'webcube'),
      stateRoot: TEST_STACK_DIR, heap: '3G', env: { ...process.env, TZ: TEST_ENGINE_JVM_ZONE },
    }).then((e) => e.port));
  }
  return started.get(name)!;
}

export async function testEngine(name: EngineName): Promise<TestEngine> {
  const port = await enginePort(name);
  const endpoint = { engine: name, port };
  const settings = (catalog: string, schema: string) => ({
    CUBEJS_DB_TYPE: engines[name].cubeDbType, CUBEJS_DB_HOST: '127.0.0.1', CUBEJS_DB_PORT: String(port),
    CUBEJS_DB_PRESTO_CATALOG: catalog, CUBEJS_DB_SCHEMA: schema, CUBEJS_DB_USER: 'webcube',
  });
  return {
    name, port, settings,
    run: (sql, options) => runStatement(endpoint, sql, options),
    driver: async (catalog, schema) => {
      const config = loadDriverConfig(settings(catalog, schema));
      return createDriver(config.type, config);
    },
    registerEvents: (dataDir, schema) => registerEvents(engines[name], { engine: name, port }, dataDir, schema),
    syncPartitions: async (schema) => { await runStatement(endpoint, partitionSyncStatement({ schema })); },
  };
}
