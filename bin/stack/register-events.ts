// Registers the collector's events folder as the Hive table the model reads, with every dt=
// folder on disk as a partition.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { prestoTableStatements } from '../../collector/src/atomic/ddl.ts';
import type { EngineSpec } from './engine-spec.ts';
import { runStatement, type EngineEndpoint } from './statement-client.ts';

export const EVENTS_SCHEMA = 'atomic';

/** The engine's URI for the events folder under a data location (a local folder or s3://…). */
export function eventsLocation(spec: EngineSpec, dataLocation: string): string {
  if (/^s3a?:\/\//.test(dataLocation)) return `${dataLocation.replace(/^s3a?:/, spec.name === 'presto' ? 's3a:' : 's3:').replace(/\/$/, '')}/events`;
  const dir = join(resolve(dataLocation), 'events');
  mkdirSync(dir, { recursive: true });
  return spec.localUri(dir);
}

export async function registerEvents(spec: EngineSpec, engine: EngineEndpoint, dataLocation: string, schema = EVENTS_SCHEMA): Promise<string> {
  const location = eventsLocation(spec, dataLocation);
  for (const statement of prestoTableStatements({ location, catalog: 'hive', schema })) {
    await runStatement(engine, statement);
  }
  return `hive.${schema}.events`;
}
