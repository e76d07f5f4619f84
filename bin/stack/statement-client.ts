// Runs a statement on a Presto or Trino coordinator through presto-client (the library Cube's
// own Presto and Trino drivers use), for the stack's DDL and readiness checks.
import { createRequire } from 'node:module';
import type { EngineName } from './engine-spec.ts';

const require = createRequire(import.meta.url);

interface PrestoClient {
  execute(opts: {
    query: string; catalog?: string; schema?: string; timezone?: string;
    data?: (error: unknown, rows: unknown[][]) => void;
    success?: (error: unknown) => void;
    error?: (error: { message?: string } | unknown) => void;
  }): void;
}
type ClientCtor = new (options: Record<string, unknown>) => PrestoClient;

export interface EngineEndpoint { readonly engine: EngineName; readonly port: number; readonly host?: string }

/** `timezone` sets the session's time zone (the engine's default otherwise). */
export function runStatement(endpoint: EngineEndpoint, sql: string, options: { timezone?: string } = {}): Promise<unknown[][]> {
  const { Client } = require('presto-client') as { Client: ClientCtor };
  const client = new Client({
    host: endpoint.host ?? '127.0.0.1', port: endpoint.port, user: 'webcube', catalog: 'hive', schema: 'default',
    engine: endpoint.engine === 'trino' ? 'trino' : 'presto', timeout: 600,
  });
  return new Promise((resolve, reject) => {
    const rows: unknown[][] = [];
    client.execute({
      query: sql,
      ...(options.timezone ? { timezone: options.timezone } : {}),
      data: (_error, chunk) => { rows.push(...chunk); },
      success: () => resolve(rows),
      error: (error) => reject(new Error(`${endpoint.engine}: ${(error as { message?: string }).message ?? String(error)}`)),
    });
  });
}

