// Cube's driver conformance suite (shared/peer/cube-testing-drivers), read at test time: the
// cases, the model Cube's harness writes per driver, the fixture rows, Cube's answers and skip
// lists. Nothing of it is copied into the project; this module only reads and loads it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CUBE_SUITE_DIR } from './cube-suite-dir.ts';

export const SUITE_DIR = CUBE_SUITE_DIR ?? '';

/** Cube's name for the driver whose answers and skip list a webcube engine is held to. */
export type CubeDriver = 'postgres' | 'mysql';

export type Case = {
  readonly name: string;
  readonly kind: 'load' | 'load-error' | 'build-pre-aggregations' | 'meta-absent-cube' | 'sql-api' | 'driver-api';
  readonly query?: Record<string, unknown>;
  readonly snapshot?: string;
  readonly rowCount?: number;
  readonly total?: number;
  readonly errorMatches?: string;
  readonly cube?: string;
  readonly builds?: readonly { selector: Record<string, unknown>; requires?: string[] }[];
  readonly requires?: readonly string[];
};

export type Table = {
  readonly table: string;
  readonly columns: readonly { name: string; type: string }[];
  readonly rows: readonly (readonly unknown[])[];
};

const readJson = (path: string): any => JSON.parse(readFileSync(join(SUITE_DIR, path), 'utf8'));

export const TABLES = ['products', 'customers', 'ecommerce', 'bigecommerce', 'retailcalendar'] as const;

export function suite(driver: CubeDriver) {
  const all = readJson('cases.json');
  const options: Record<string, boolean> = all.suiteOptions[driver] ?? {};
  const cases: Case[] = all.cases.filter((c: Case) => (c.requires ?? []).every((r) => options[r]));
  const skips = readJson(`skip/${driver}.json`);
  const skip = new Map<string, string>(skips.skip.map((s: { name: string; section: string }) => [s.name, s.section]));
  const snapshots: Record<string, unknown> = readJson(`expected/${driver}.json`).snapshots;
  const other: Record<string, unknown> = readJson(`expected/${driver === 'postgres' ? 'mysql' : 'postgres'}.json`).snapshots;
  const buildOk = (b: { requires?: string[] }) => (b.requires ?? []).every((r) => options[r]);
  return {
    cases: cases.map((c) => (c.builds ? { ...c, builds: c.builds.filter(buildOk) } : c)),
    skip, snapshots, otherSnapshots: other,
  };
}

export const table = (name: string): Table => readJson(`data/${name}.json`);

/**
 * Cube's model for the driver with every cube's `select * from <t>` pointed at `<t><suffix>`
 * and the members named in `drop` removed (`Cube.member`, a cube or a view's own member).
 */
export function modelYaml(driver: CubeDriver, suffix: string, drop: readonly string[]): { yaml: string; dropped: string[] } {
  const doc = parse(readFileSync(join(SUITE_DIR, `model/${driver}/ecommerce.yaml`), 'utf8'));
  const dropped: string[] = [];
  for (const kind of ['cubes', 'views'] as const) {
    for (const cube of doc[kind] ?? []) {
      if (typeof cube.sql === 'string') cube.sql = cube.sql.replace(/\bfrom (\w+)\b/, (_: string, t: string) => `from ${t}${suffix}`);
      for (const section of ['measures', 'dimensions', 'segments'] as const) {
        if (!Array.isArray(cube[section])) continue;
        cube[section] = cube[section].filter((m: { name: string }) => {
          const full = `${cube.name}.${m.name}`;
          if (!drop.includes(full)) return true;
          dropped.push(full);
          return false;
        });
      }
    }
  }
  return { yaml: stringify(doc), dropped };
}
