// The recent-ids set that drops tracker retries across flushes and restarts.
// Keys are md5(event_id, event_fingerprint) kept in a DuckDB file in the spool dir, so the window
// survives restarts. A key stays for COLLECTOR_DEDUPE_WINDOW_S after its flush, and at most
// COLLECTOR_DEDUPE_MAX_IDS keys are kept (oldest flushes go first): whichever limit is hit first.
// The set only changes in the same transaction that marks a spool segment done, so replaying a
// segment after a crash sees exactly the set its first attempt saw and writes the same rows.
import type { DuckDBConnection } from '@duckdb/node-api';

export interface DedupeLimits { readonly windowMs: number; readonly maxIds: number }

export class DedupeIndex {
  private constructor(private readonly conn: DuckDBConnection, private readonly limits: DedupeLimits) {}

  static async open(conn: DuckDBConnection, limits: DedupeLimits): Promise<DedupeIndex> {
    await conn.run('CREATE TABLE IF NOT EXISTS wc_seen (k UHUGEINT NOT NULL, t BIGINT NOT NULL)');
    await conn.run('CREATE TABLE IF NOT EXISTS wc_done (segment VARCHAR PRIMARY KEY, t BIGINT NOT NULL)');
    return new DedupeIndex(conn, limits);
  }

  /** Anti-join predicate for a staged row aliased `s` with key column `_k`. */
  readonly unseenPredicate: string = 'NOT EXISTS (SELECT 1 FROM wc_seen x WHERE x.k = s._k)';

  async isDone(segment: string): Promise<boolean> {
    const r = await this.conn.runAndReadAll('SELECT 1 FROM wc_done WHERE segment = $1', [segment]);
    return r.currentRowCount > 0;
  }

  /** How many keys of `table` (a `_k` column) are in the set: a semi-join probing the set, far
   *  cheaper than an anti-join once it holds millions of keys. */
  async countSeen(table: string): Promise<number> {
    return Number((await this.conn.runAndReadAll(`SELECT count(*) FROM wc_seen WHERE k IN (SELECT _k FROM ${table})`)).getRows()[0]![0]);
  }

  /** Atomically: remember the new keys of `keptTable` (with a `_k` column), mark the segment done, expire old keys.
   *  `allNew`: the caller checked that its keys are distinct and unseen, so they go in without the anti-join. */
  async commit(segment: string, keptTable: string, nowMs: number, allNew = false): Promise<void> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      if (this.limits.maxIds > 0 && this.limits.windowMs > 0) {
        await this.conn.run(allNew
          ? `INSERT INTO wc_seen SELECT _k, $1::BIGINT FROM ${keptTable}`
          : `INSERT INTO wc_seen SELECT DISTINCT _k, $1::BIGINT FROM ${keptTable} s WHERE ${this.unseenPredicate}`, [nowMs]);
      }
      await this.conn.run('INSERT OR REPLACE INTO wc_done VALUES ($1, $2)', [segment, nowMs]);
      await this.conn.run('DELETE FROM wc_seen WHERE t < $1', [nowMs - this.limits.windowMs]);
      const count = Number((await this.conn.runAndReadAll('SELECT count(*) FROM wc_seen')).getRows()[0]![0]);
      if (count > this.limits.maxIds) await this.trim();
      await this.conn.run('COMMIT');
    } catch (e) {
      await this.conn.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  /** Keeps the newest flushes that fit in maxIds: drops every key older than the flush at which the
   *  newest-first running count reaches maxIds. Keys share their flush's t, so counting per t (a few
   *  thousand groups) replaces a top-N sort of millions of rows. */
  private async trim(): Promise<void> {
    const perFlush = (await this.conn.runAndReadAll('SELECT t, count(*) FROM wc_seen GROUP BY t ORDER BY t DESC')).getRows();
    let kept = 0;
    for (const [t, n] of perFlush) {
      kept += Number(n);
      if (kept >= this.limits.maxIds) {
        await this.conn.run('DELETE FROM wc_seen WHERE t < $1', [Number(t)]);
        return;
      }
    }
  }

  /** Once the segment file is gone its done-marker is no longer needed. */
  async forget(segment: string): Promise<void> {
    await this.conn.run('DELETE FROM wc_done WHERE segment = $1', [segment]);
  }

  async size(): Promise<number> {
    return Number((await this.conn.runAndReadAll('SELECT count(*) FROM wc_seen')).getRows()[0]![0]);
  }
}
