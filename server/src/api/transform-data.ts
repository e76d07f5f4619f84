// Shapes engine rows into Cube's `data` array: keys are member ids (`Cube.dim.granularity` for
// time dimensions, plus a `Cube.dim` copy unless that member is itself selected), values
// serialised by transformValue. Also the compact `{members, dataset}` format.
import type { NormalizedQuery } from '../query/types.ts';
import type { Annotation, Row } from './engine.ts';
import { transformValue } from './transform-value.ts';

type Column = { alias: string; member: string; type: string | undefined; alsoAs?: string };

function typeOf(annotation: Annotation, member: string): string | undefined {
  return annotation.measures[member]?.type ?? annotation.dimensions[member]?.type
    ?? annotation.timeDimensions[member]?.type ?? (member.split('.').length === 3 ? 'time' : undefined);
}

export function planColumns(aliasToMember: Readonly<Record<string, string>>, annotation: Annotation, query: NormalizedQuery): Column[] {
  const selectedDims = new Set(query.dimensions);
  return Object.entries(aliasToMember).map(([alias, member]) => {
    const parts = member.split('.');
    const col: Column = { alias, member, type: typeOf(annotation, member) };
    if (parts.length === 3) {
      const base = `${parts[0]}.${parts[1]}`;
      if (!selectedDims.has(base)) col.alsoAs = base;
    }
    return col;
  });
}

export function transformData(rows: readonly Row[], columns: readonly Column[]): Record<string, unknown>[] {
  const out = new Array<Record<string, unknown>>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const item: Record<string, unknown> = {};
    for (const c of columns) {
      if (!(c.alias in row)) continue;
      const v = transformValue(row[c.alias], c.type);
      item[c.member] = v;
      // Several granularities of one dimension: the last column's value stays (Cube's R.fromPairs).
      if (c.alsoAs !== undefined) item[c.alsoAs] = v;
    }
    out[i] = item;
  }
  return out;
}

/** `responseFormat: compact`: one member list, rows as arrays in that order. */
export function toCompact(data: readonly Record<string, unknown>[], columns: readonly Column[]): { members: string[]; dataset: unknown[][] } {
  const members: string[] = [];
  for (const c of columns) {
    members.push(c.member);
    if (c.alsoAs !== undefined && !members.includes(c.alsoAs)) members.push(c.alsoAs);
  }
  return { members, dataset: data.map((row) => members.map((m) => row[m] ?? null)) };
}
