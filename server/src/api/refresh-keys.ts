// Cube's query-cache refresh keys for `refresh_key: { sql }` cubes: the key SQL runs on the
// source at most once per check interval (`every`, default 10 s) and its value becomes part of
// the result-cache key, so a cached result lives until the data it reads changes.
import type { CompiledModel } from '../model/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import { plainSql } from '../preagg/refresh-key.ts';
import { cubesOfQuery } from './cube-query.ts';
import type { Row } from './engine.ts';
import { parseEvery } from './refresh-ttl.ts';

type Checked = { value: Promise<string>; at: number };

export class RefreshKeys {
  private readonly checked = new Map<string, Checked>();

  constructor(private readonly run: (sql: string) => Promise<Row[]>, private readonly defaultCheckMs = 10_000) {}

  /** Current values of the SQL refresh keys of the cubes a query reads (empty when none has one). */
  async values(model: CompiledModel, query: NormalizedQuery): Promise<string[]> {
    const out: Promise<string>[] = [];
    for (const name of cubesOfQuery(query)) {
      const key = model.cubes.get(name)?.refreshKey;
      if (!key?.sql) continue;
      const sql = plainSql(key.sql, `cube ${name} refresh_key`);
      const checkMs = key.every ? (parseEvery(key.every) ?? 10) * 1000 : this.defaultCheckMs;
      let c = this.checked.get(sql);
      if (!c || Date.now() - c.at >= checkMs) {
        c = { value: this.run(sql).then((rows) => JSON.stringify(rows[0] ? Object.values(rows[0]) : null)), at: Date.now() };
        this.checked.set(sql, c);
        c.value.catch(() => this.checked.delete(sql));
      }
      out.push(c.value);
    }
    return Promise.all(out);
  }
}
