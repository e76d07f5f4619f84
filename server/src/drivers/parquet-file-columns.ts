// Groups event files by their exact column set, so atomic.events can read each group without
// union_by_name: with it, DuckDB opens the footer of every listed file while binding each query
// (hundreds of ms per query at a few hundred files, before any partition pruning), and without it
// only the files left after `dt` pruning are opened. Parquet files are immutable under a unique
// name, so each file's columns are read once and cached by path.
import { basename } from 'node:path';

export interface FileGroup {
  /** `name type` of every column, sorted; the same for every file of the group. */
  readonly columns: readonly string[];
  readonly files: readonly string[];
}

type RunSql = (sql: string) => Promise<readonly (readonly unknown[])[]>;

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
const BATCH = 500;

export class ParquetFileColumns {
  private readonly signatures = new Map<string, string>();
  // One string per distinct column set, shared by its files (thousands of files, a few sets).
  private readonly interned = new Map<string, string>();

  /** Groups `files` (absolute paths, order kept within a group); reads unknown footers with `run`. */
  async group(files: readonly string[], run: RunSql): Promise<FileGroup[]> {
    const listed = new Set(files);
    for (const known of this.signatures.keys()) if (!listed.has(known)) this.signatures.delete(known);
    const unknown = files.filter((f) => !this.signatures.has(f));
    for (let i = 0; i < unknown.length; i += BATCH) await this.read(unknown.slice(i, i + BATCH), run);
    const groups = new Map<string, string[]>();
    for (const f of files) {
      const sig = this.signatures.get(f)!;
      const g = groups.get(sig);
      if (g) g.push(f); else groups.set(sig, [f]);
    }
    return [...groups].map(([sig, fs]) => ({ columns: sig.split('\n'), files: fs }));
  }

  private async read(files: readonly string[], run: RunSql): Promise<void> {
    // Leaf columns only: the root element (the message) has children. dt is a folder, not a column.
    const rows = await run(`SELECT file_name, name, type, logical_type FROM parquet_schema([${files.map(literal).join(', ')}])
      WHERE COALESCE(num_children, 0) = 0 ORDER BY file_name, name`);
    const cols = new Map<string, string[]>();
    for (const [file, name, type, logical] of rows) {
      const key = String(file);
      const c = cols.get(key) ?? [];
      c.push(`${String(name)} ${String(type)}${logical === null || logical === undefined ? '' : ` ${String(logical)}`}`);
      cols.set(key, c);
    }
    for (const f of files) {
      const c = cols.get(f);
      if (!c) throw new Error(`No columns read from ${basename(f)}: Cannot open file`);
      const sig = c.join('\n');
      if (!this.interned.has(sig)) this.interned.set(sig, sig);
      this.signatures.set(f, this.interned.get(sig)!);
    }
  }
}
