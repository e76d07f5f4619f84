// Which built partitions newer data has made stale, judged when a query arrives by the
// pre-aggregation's own `refresh_key: { sql }` (Cube checks refresh keys on query too): a
// partition whose key answers differently now than when it was built is one the next refresh
// pass rebuilds, so until then it must not stand in for the source. An original_sql cube then
// reads its own SQL from that partition on (original-sql.ts), a rollup does not answer.
// `every`-only keys bound staleness by time instead and are not checked here; frozen partitions
// (`incremental`, older than `update_window`) keep their build.
import type { CompiledModel, PreAggregation } from '../model/types.ts';
import type { BuildRecord } from './build-log.ts';
import { FROZEN, isFrozen, keyValue, plainSql } from './refresh-key.ts';
import type { SourceEngine } from './source-engine.ts';
import { localToUtcMs, parseLocal } from './time.ts';

interface Read { value?: string; at: number; pending?: Promise<void>; pendingSince?: number }

/** A renewQuery joins another renewQuery's key read that started at most this long before it
 *  arrived (the other cards of the same page load), as lambda tails do (pre-aggregations.ts);
 *  never a refresh pass's read, which may predate events the query must see. */
const SHARED_READ_MS = 250;

export class StaleBuilds {
  private readonly reads = new Map<string, Read>();

  constructor(private readonly o: {
    readonly source: SourceEngine;
    /** A key read is reused this long (one source query per key per interval, not per card). */
    readonly ttlMs: number;
    readonly now: () => number;
    readonly log: (msg: string) => void;
  }) {}

  /**
   * Reads the current answers of the model's SQL refresh keys (each distinct SQL once). With
   * `readSince` (a renewQuery's arrival) only a read started then or later will do.
   */
  async refresh(model: CompiledModel, readSince?: number): Promise<void> {
    const sqls = new Set<string>();
    for (const pa of model.preAggregations.values()) {
      const sql = keySql(pa);
      if (sql) sqls.add(sql);
    }
    await Promise.all([...sqls].map((sql) => this.read(sql, readSince)));
  }

  private read(sql: string, readSince?: number): Promise<void> {
    const cur = this.reads.get(sql) ?? this.reads.set(sql, { at: 0 }).get(sql)!;
    if (cur.pending && (readSince === undefined || (cur.pendingSince ?? -Infinity) >= readSince - SHARED_READ_MS)) return cur.pending;
    const fresh = readSince === undefined ? this.o.now() - cur.at < this.o.ttlMs : cur.at >= readSince;
    if (cur.value !== undefined && fresh) return Promise.resolve();
    const started = this.o.now();
    const pending = this.o.source.sql(sql).then((rows) => {
      if (started < cur.at) return; // a later read already answered
      cur.value = keyValue(rows);
      cur.at = started;
    }).catch((e: unknown) => {
      // Without a current answer the built partitions keep serving, as before the check existed.
      cur.value = undefined;
      this.o.log(`refresh key check failed, built pre-aggregations serve as they are: ${(e as Error).message}`);
    }).finally(() => {
      if (cur.pending === pending) { cur.pending = undefined; cur.pendingSince = undefined; }
    });
    cur.pending = pending;
    cur.pendingSince = readSince === undefined ? undefined : started;
    return pending;
  }

  /** True when `build` was made before the data its pre-aggregation's key SQL watches last changed. */
  isStale(pa: PreAggregation, build: BuildRecord): boolean {
    const key = pa.refreshKey;
    if (!key?.sql || build.refreshKey === FROZEN) return false;
    const endMs = build.partitionEnd ? localToUtcMs(parseLocal(build.partitionEnd), build.timezone) : undefined;
    if (isFrozen(key, endMs, this.o.now())) return false;
    const sql = keySql(pa);
    const current = sql ? this.reads.get(sql)?.value : undefined;
    return current !== undefined && current !== build.refreshKey;
  }
}

/** The key SQL, or undefined when it has none or one the refresh pass rejects (and reports). */
function keySql(pa: PreAggregation): string | undefined {
  if (!pa.refreshKey?.sql) return undefined;
  try {
    return plainSql(pa.refreshKey.sql, `${pa.path} refresh_key`);
  } catch {
    return undefined;
  }
}
