// Test/bench helper: small valid AtomicEvents and a reader for the Parquet files the store writes.
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import type { AtomicEvent } from '../atomic/columns.ts';

export function makeEvent(tstampMs: number, over: Record<string, string | number | boolean | null> = {}): AtomicEvent {
  return {
    app_id: 'site', platform: 'web', event: 'page_view', event_id: randomUUID(), collector_tstamp: tstampMs,
    dvce_created_tstamp: tstampMs - 50, derived_tstamp: tstampMs, v_collector: 'webcube-0.1.0', v_tracker: 'js-4.10.1',
    domain_userid: randomUUID(), domain_sessionidx: 1, page_url: 'https://example.com/a?b=1', page_urlhost: 'example.com',
    page_urlport: 443, geo_latitude: 52.52, tr_total: '12.50', br_cookies: true, event_fingerprint: 'fp', is_bot: false,
    event_vendor: 'com.snowplowanalytics.snowplow', event_name: 'page_view', event_format: 'jsonschema', event_version: '1-0-0',
    ...over,
  };
}

/** Runs a query against the Parquet files under a local data root. */
export async function queryParquet(root: string, select: (from: string) => string): Promise<Record<string, unknown>[]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const from = `read_parquet('${root.replaceAll("'", "''")}/events/*/*.parquet', hive_partitioning=true, union_by_name=false)`;
    return (await conn.runAndReadAll(select(from))).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    conn.closeSync(); db.closeSync();
  }
}
