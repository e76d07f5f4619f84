// Loads Cube's fixture rows (shared/peer/cube-testing-drivers/data) into PrestoDB or Trino: one
// Parquet table per fixture in the engine's Hive catalog, made by CTAS in a schema of its own,
// with the column types Cube's fixture gives. Literals are written here (fixture rows, test code
// only): the engines' statement API has no bound parameters for DDL.
import { TABLES, table, type Table } from './cube-suite-data.ts';
import type { TestEngine } from './engines.ts';

const sqlType = (type: string): string => {
  if (type === 'string') return 'VARCHAR';
  if (type === 'integer') return 'INTEGER';
  if (type === 'boolean') return 'BOOLEAN';
  if (type === 'date') return 'DATE';
  if (/^decimal\(\d+,\d+\)$/.test(type)) return type.toUpperCase();
  throw new Error(`fixture column type '${type}' is not known`);
};

function literal(value: unknown, type: string): string {
  if (value === null || value === undefined) return `CAST(NULL AS ${sqlType(type)})`;
  if (type === 'boolean') return value === true || value === 1 || value === 'true' ? 'true' : 'false';
  if (type === 'date') return `DATE '${String(value).slice(0, 10)}'`;
  if (type === 'string') return `'${String(value).replace(/'/g, "''")}'`;
  return `CAST('${String(value)}' AS ${sqlType(type)})`;
}

const ctas = (t: Table, name: string): string => {
  const rows = t.rows.map((r) => `(${t.columns.map((c, i) => literal(r[i], c.type)).join(', ')})`);
  const columns = t.columns.map((c) => `CAST(${c.name} AS ${sqlType(c.type)}) AS ${c.name}`).join(', ');
  return `CREATE TABLE ${name} WITH (format = 'PARQUET') AS SELECT ${columns} FROM (VALUES ${rows.join(', ')}) AS t(${t.columns.map((c) => c.name).join(', ')})`;
};

/** Creates every fixture table as `hive.<schema>.<table><suffix>`; returns a function that drops them and the schema. */
export async function loadHiveEngine(engine: TestEngine, schema: string, suffix: string): Promise<() => Promise<void>> {
  await engine.run(`CREATE SCHEMA IF NOT EXISTS hive.${schema}`);
  for (const name of TABLES) await engine.run(ctas(table(name), `hive.${schema}.${name}${suffix}`));
  return async () => {
    const tables = await engine.run(`SHOW TABLES FROM hive.${schema}`).catch(() => []);
    for (const [t] of tables) await engine.run(`DROP TABLE IF EXISTS hive.${schema}."${String(t)}"`).catch(() => undefined);
    await engine.run(`DROP SCHEMA IF EXISTS hive.${schema}`).catch(() => undefined);
  };
}
