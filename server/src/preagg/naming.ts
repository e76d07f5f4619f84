// Pre-aggregation table names as Cube spells them (cube.md §8):
// `<cube>_<preagg><partition>_<content_version>_<structure_version>_<last_updated_at>`,
// versions being 8-char base32 hashes, so a changed definition or refresh key gets a new table.
import { createHash } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
/** MySQL's identifier limit (ER_TOO_LONG_IDENT, Cube issues #86, #1564); DuckDB has none. */
export const MAX_IDENT = 64;

/** 8 characters of base32 over sha256, Cube's version hash width. */
export function versionHash(...parts: unknown[]): string {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest();
  let out = '';
  for (let i = 0; i < 8; i++) out += ALPHABET[digest[i]! & 31];
  return out;
}

function underscore(s: string): string {
  return s.replace(/([a-z\d])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]/g, '_').toLowerCase();
}

/** `underscore('Cube.preAgg')` with `.` → `_`, or the pre-aggregation's `sql_alias`. */
export function tableBaseName(cube: string, preAgg: string, sqlAlias?: string): string {
  return sqlAlias ? underscore(sqlAlias) : `${underscore(cube)}_${underscore(preAgg)}`;
}

/** Partition suffix from a local partition start `YYYY-MM-DDTHH:mm:ss.SSS`. */
export function partitionSuffix(start: string, granularity: string): string {
  const digits = start.replace(/[^0-9]/g, '');
  if (granularity === 'hour') return digits.slice(0, 10);
  if (granularity === 'minute') return digits.slice(0, 12);
  return digits.slice(0, 8);
}

export interface TableNameParts {
  readonly base: string;
  readonly partition?: string;
  readonly contentVersion: string;
  readonly structureVersion: string;
  readonly lastUpdatedAt: number;
}

/** Builds the name; a base too long for MySQL is cut and suffixed by its own hash. */
export function preAggTableName(p: TableNameParts): string {
  const tail = `${p.partition ?? ''}_${p.contentVersion}_${p.structureVersion}_${p.lastUpdatedAt}`;
  let base = p.base;
  if (base.length + tail.length > MAX_IDENT) {
    base = `${base.slice(0, MAX_IDENT - tail.length - 9)}_${versionHash(base)}`;
  }
  return base + tail;
}

const TAIL = /^(.*?)(\d{8}|\d{10}|\d{12})?_([a-z2-7]{8})_([a-z2-7]{8})_(\d{10,})$/;

export function parseTableName(name: string): TableNameParts | null {
  const m = TAIL.exec(name);
  if (!m) return null;
  return { base: m[1]!, partition: m[2], contentVersion: m[3]!, structureVersion: m[4]!, lastUpdatedAt: Number(m[5]) };
}
