// The column layout of a rollup table: one column per dimension, per time dimension at the
// rollup granularity and per measure, named like Cube's SQL aliases (`cube__member`,
// `cube__member_day`) and typed from the model, so every store and build agree on it. An `avg`
// measure is stored as two hidden columns, its sum and its count, so it re-aggregates (Cube does
// the same) as sum(sum) / sum(count) at any coarser grain. A count_distinct_approx measure is
// stored as a HyperLogLog sketch (hll.ts): a rank column per measure plus one register column
// shared by the rollup's approx measures, filled only on sketch rows; ordinary rows keep the
// register NULL and sketch rows keep every measure NULL, so neither is counted as the other.
import type { CompiledModel, PreAggregation } from '../model/types.ts';
import { avgPart } from '../planner/avg-part.ts';
import type { StoreColumn, ColumnType } from './stores/types.ts';
import { versionHash, MAX_IDENT } from './naming.ts';

export interface RollupColumn extends StoreColumn {
  /** `cube.member`, `cube.member.granularity` for the time dimension, or avgPart() for an avg's sum/count. */
  readonly member: string;
  readonly role: 'measure' | 'dimension' | 'time' | 'register' | 'rank';
  /** Measure aggregation type, for re-aggregation. */
  readonly measureType?: string;
}

/** Pseudo member id of the sketch register column (on sketch rows; NULL on ordinary rows). */
export const SKETCH_REGISTER = 'hll.register';
export const SKETCH_REGISTER_COLUMN = 'hll_register';

/** Pseudo member id of a count_distinct_approx measure's HyperLogLog rank column. */
export function sketchRank(measure: string): string {
  return `${measure}__hll_rank`;
}

function snake(s: string): string {
  return s.replace(/([a-z\d])([A-Z])/g, '$1_$2').toLowerCase();
}

export function columnName(member: string, granularity?: string): string {
  const [cube, name] = member.split('.');
  const base = `${snake(cube!)}__${snake(name!)}${granularity ? `_${granularity}` : ''}`;
  return base.length <= MAX_IDENT ? base : `${base.slice(0, MAX_IDENT - 9)}_${versionHash(base)}`;
}

const MEASURE_TYPE: Record<string, ColumnType> = {
  count: 'integer', countDistinct: 'integer', countDistinctApprox: 'integer',
  sum: 'decimal', avg: 'decimal', min: 'decimal', max: 'decimal', number: 'decimal',
  string: 'string', time: 'timestamp', boolean: 'boolean',
};
const DIMENSION_TYPE: Record<string, ColumnType> = {
  string: 'string', number: 'float', time: 'timestamp', boolean: 'boolean', geo: 'string',
};

export function rollupColumns(model: CompiledModel, pa: PreAggregation): RollupColumn[] {
  const cols: RollupColumn[] = [];
  for (const td of pa.timeDimensions) {
    cols.push({ member: `${td.dimension}.${td.granularity}`, name: columnName(td.dimension, td.granularity), type: 'timestamp', role: 'time' });
  }
  for (const d of pa.dimensions) {
    const m = model.members.get(d);
    if (!m || m.kind !== 'dimension') throw new Error(`Pre-aggregation ${pa.path}: unknown dimension ${d}`);
    cols.push({ member: d, name: columnName(d), type: DIMENSION_TYPE[m.type] ?? 'string', role: 'dimension' });
  }
  for (const s of pa.segments) {
    if (!model.members.get(s)) throw new Error(`Pre-aggregation ${pa.path}: unknown segment ${s}`);
  }
  for (const me of pa.measures) {
    const m = model.members.get(me);
    if (!m || m.kind !== 'measure') throw new Error(`Pre-aggregation ${pa.path}: unknown measure ${me}`);
    if (m.type === 'avg') {
      // Sums of an avg's inputs are often fractional: DOUBLE keeps them to ~1e-15, as the source's avg.
      cols.push({ member: avgPart(me, 'sum'), name: columnName(avgPart(me, 'sum')), type: 'float', role: 'measure', measureType: 'sum' });
      cols.push({ member: avgPart(me, 'count'), name: columnName(avgPart(me, 'count')), type: 'integer', role: 'measure', measureType: 'count' });
      continue;
    }
    if (m.type === 'countDistinctApprox') {
      if (!cols.some((c) => c.role === 'register')) cols.push({ member: SKETCH_REGISTER, name: SKETCH_REGISTER_COLUMN, type: 'integer', role: 'register' });
      cols.push({ member: sketchRank(me), name: columnName(sketchRank(me)), type: 'integer', role: 'rank' });
      continue;
    }
    cols.push({ member: me, name: columnName(me), type: MEASURE_TYPE[m.type] ?? 'decimal', role: 'measure', measureType: m.type });
  }
  return cols;
}
