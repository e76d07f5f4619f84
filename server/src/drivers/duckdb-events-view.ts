// Defines `atomic.events` in DuckDB over the collector's Parquet files, or — while there are
// none yet — as an empty relation with the canonical columns, so models compile and queries
// return no rows instead of failing on a fresh install.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicColumns } from './atomic-columns.ts';
import type { FileGroup } from './parquet-file-columns.ts';

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function eventsGlob(dataDir: string): string {
  return join(dataDir, 'events', '**', '*.parquet');
}

/** True when at least one Parquet file exists under <dataDir>/events (walks lazily). */
export async function hasEventFiles(dataDir: string): Promise<boolean> {
  if (/^[a-z0-9]+:\/\//i.test(dataDir)) return true;
  const walk = async (dir: string, depth: number): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // No folder yet means no events; an unreadable one must not look like an empty site.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    for (const e of entries) if (e.isFile() && e.name.endsWith('.parquet')) return true;
    if (depth > 3) return false;
    for (const e of entries) if (e.isDirectory() && await walk(join(dir, e.name), depth + 1)) return true;
    return false;
  };
  return walk(join(dataDir, 'events'), 0);
}

export function parquetViewSql(dataDir: string): string {
  return `CREATE OR REPLACE VIEW atomic.events AS SELECT * FROM read_parquet(${literal(eventsGlob(dataDir))}, hive_partitioning = true, union_by_name = true)`;
}

/**
 * The view over an explicit file list (a consistent snapshot of what compaction shows), grouped
 * by identical column sets (parquet-file-columns.ts): each group is
 * read without union_by_name, canonical columns a group lacks are NULL, groups are unioned by name.
 */
export function parquetFileGroupsViewSql(groups: readonly FileGroup[]): string {
  const selects = groups.map((g) => {
    const has = new Set(g.columns.map((c) => c.split(' ')[0]));
    const missing = atomicColumns.filter((c) => !has.has(c.name)).map((c) => `CAST(NULL AS ${c.type}) AS "${c.name}"`);
    return `SELECT *${missing.map((m) => `, ${m}`).join('')} FROM read_parquet([${g.files.map(literal).join(', ')}], hive_partitioning = true)`;
  });
  return `CREATE OR REPLACE VIEW atomic.events AS ${selects.join('\nUNION ALL BY NAME\n')}`;
}

export function emptyViewSql(): string {
  const cols = atomicColumns.map((c) => `CAST(NULL AS ${c.type}) AS "${c.name}"`);
  cols.push('CAST(NULL AS DATE) AS "dt"');
  return `CREATE OR REPLACE VIEW atomic.events AS SELECT ${cols.join(', ')} WHERE false`;
}
