// Multi-stage member properties (`multi_stage`, `time_shift`, `group_by`, `reduce_by`,
// `add_group_by`), switch cases and calendar time shifts, validated into their typed form.
// How they are rendered is the planner's business; here they are only accepted and resolved.
import type { Item } from './merge-extends.ts';
import { checkInterval, checkKeys, enumValue, optString } from './member-props.ts';
import { isRecord } from './normalize-props.ts';
import { resolveRef, resolveTemplate, type ResolveContext } from './resolve-template.ts';
import type {
  DimensionTimeShift, MeasureTimeShift, MultiStage, MultiStageDimensionRef, SqlTemplate, SwitchCase,
} from './types.ts';

const SHIFT_KEYS = new Set(['timeDimension', 'interval', 'type', 'name']);
const DIM_SHIFT_KEYS = new Set(['interval', 'type', 'name', 'sql']);
const IDENT = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** `{member}`, `{cube.member}`, `{member.granularity}` or `{cube.member.granularity}`. */
export function resolveDimensionRef(path: readonly string[], ctx: ResolveContext): MultiStageDimensionRef {
  const parts = path[0] === 'CUBE' ? [ctx.cube, ...path.slice(1)] : [...path];
  const own = ctx.symbols.members.get(ctx.cube);
  // `status.month` where status is an own member (and not a cube): own member plus granularity.
  const split = parts.length === 2 && !ctx.symbols.members.has(parts[0]) && own?.has(parts[0])
    ? { cubePath: [parts[0]], granularity: parts[1] }
    : parts.length === 3 ? { cubePath: parts.slice(0, 2), granularity: parts[2] } : { cubePath: parts, granularity: undefined };
  if (split.granularity !== undefined && !IDENT.test(split.granularity)) throw new Error(`Invalid granularity in '${path.join('.')}'`);
  const ref = resolveRef(split.cubePath, ctx, true);
  if (ref.member === undefined) throw new Error(`'${path.join('.')}' is a cube, expected a dimension`);
  return { member: `${ref.cube}.${ref.member}`, ...(split.granularity ? { granularity: split.granularity } : {}) };
}

function dimensionRefs(value: unknown, item: Item, ctx: ResolveContext, key: string): MultiStageDimensionRef[] | undefined {
  if (value === undefined || value === null) return undefined;
  try {
    return item.origin.reader.refs(value).map((r) => resolveDimensionRef(r, ctx));
  } catch (e) { throw new Error(`'${key}': ${(e as Error).message}`); }
}

function shiftType(value: unknown): 'prior' | 'next' | undefined {
  return value === undefined ? undefined : enumValue(value, ['prior', 'next'] as const, 'time_shift type');
}

function measureTimeShift(value: unknown, item: Item, ctx: ResolveContext): MeasureTimeShift[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`'time_shift' must be a list of {interval, type} or {name}`);
  return value.map((s): MeasureTimeShift => {
    if (!isRecord(s)) throw new Error(`each 'time_shift' entry must be an object`);
    checkKeys(s, SHIFT_KEYS, 'time_shift');
    const name = optString(s.name, 'time_shift.name');
    if (s.interval === undefined && name === undefined) throw new Error(`each 'time_shift' entry needs 'interval' (with 'type') or 'name'`);
    const interval = s.interval === undefined ? undefined : checkInterval(s.interval, 'time_shift.interval');
    const type = shiftType(s.type);
    if (interval !== undefined && type === undefined) throw new Error(`'time_shift' with an interval needs 'type' (prior or next)`);
    const timeDimension = s.timeDimension === undefined ? undefined
      : resolveDimensionRef(item.origin.reader.ref(s.timeDimension), ctx).member;
    return strip({ timeDimension, interval, type, name });
  });
}

/** The `multi_stage` group of a measure, or undefined when it is not multi-stage. */
export function compileMultiStage(p: Readonly<Record<string, unknown>>, item: Item, ctx: ResolveContext): MultiStage | undefined {
  const flagged = p.multiStage === true;
  if (p.multiStage !== undefined && typeof p.multiStage !== 'boolean') throw new Error(`'multi_stage' must be true or false`);
  const extras = ['timeShift', 'groupBy', 'reduceBy', 'addGroupBy', 'orderBy'].filter((k) => p[k] !== undefined);
  if (!flagged) {
    if (extras.length > 0) throw new Error(`'${extras.map(snake).join("', '")}' need 'multi_stage: true'`);
    return undefined;
  }
  if (p.groupBy !== undefined && p.reduceBy !== undefined) throw new Error(`'group_by' and 'reduce_by' cannot be used together`);
  return strip({
    timeShift: measureTimeShift(p.timeShift, item, ctx),
    groupBy: dimensionRefs(p.groupBy, item, ctx, 'group_by'),
    reduceBy: dimensionRefs(p.reduceBy, item, ctx, 'reduce_by'),
    addGroupBy: dimensionRefs(p.addGroupBy, item, ctx, 'add_group_by'),
    orderBy: rankOrder(p.orderBy, item, ctx),
  }) as MultiStage;
}

/** `order_by: [{sql: "{revenue}", dir: desc}]` of a rank measure. */
function rankOrder(value: unknown, item: Item, ctx: ResolveContext): MultiStage['orderBy'] {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw new Error(`'order_by' must be a non-empty list of {sql, dir}`);
  return value.map((o) => {
    if (!isRecord(o) || o.sql === undefined) throw new Error(`each 'order_by' entry needs 'sql'`);
    checkKeys(o, new Set(['sql', 'dir']), 'order_by');
    const dir = o.dir === undefined ? 'asc' : enumValue(String(o.dir).toLowerCase(), ['asc', 'desc'] as const, 'order_by dir');
    return { sql: resolveTemplate(item.origin.reader.sql(o.sql), ctx), desc: dir === 'desc' };
  });
}

/** `time_shift` of a calendar cube's time dimension. */
export function compileDimensionTimeShift(value: unknown, item: Item, ctx: ResolveContext): DimensionTimeShift[] {
  if (!Array.isArray(value)) throw new Error(`'time_shift' must be a list of {interval, type, sql} or {name, sql}`);
  return value.map((s): DimensionTimeShift => {
    if (!isRecord(s)) throw new Error(`each 'time_shift' entry must be an object`);
    checkKeys(s, DIM_SHIFT_KEYS, 'time_shift');
    const name = optString(s.name, 'time_shift.name');
    const interval = s.interval === undefined ? undefined : checkInterval(s.interval, 'time_shift.interval');
    if (interval === undefined && name === undefined) throw new Error(`each 'time_shift' entry needs 'interval' (with 'type') or 'name'`);
    const type = shiftType(s.type);
    if (interval !== undefined && type === undefined) throw new Error(`'time_shift' with an interval needs 'type' (prior or next)`);
    const sql: SqlTemplate | undefined = s.sql === undefined ? undefined : resolveTemplate(item.origin.reader.sql(s.sql), ctx);
    return strip({ name, interval, type, sql });
  });
}

/** True when `case` is the switch form (`switch` + `when: [{value, sql}]`). */
export const isSwitchCase = (value: unknown): boolean => isRecord(value) && value.switch !== undefined;

export function compileSwitchCase(value: unknown, item: Item, ctx: ResolveContext): SwitchCase {
  if (!isRecord(value)) throw new Error(`'case' must be an object`);
  checkKeys(value, new Set(['switch', 'when', 'else']), 'case');
  const switchSql = resolveTemplate(item.origin.reader.sql(value.switch), ctx).filter((x) => typeof x !== 'string' || x.trim() !== '');
  const sw = switchSql[0];
  if (switchSql.length !== 1 || typeof sw === 'string' || sw.type !== 'member') {
    throw new Error(`'case.switch' must reference one switch dimension, e.g. "{CUBE.source}"`);
  }
  if (!Array.isArray(value.when) || value.when.length === 0) throw new Error(`'case' needs a non-empty 'when' list`);
  const sql = (v: unknown): SqlTemplate => resolveTemplate(item.origin.reader.sql(v), ctx);
  const when = value.when.map((w) => {
    if (!isRecord(w) || w.value === undefined || w.sql === undefined) throw new Error(`each 'case.when' of a switch needs 'value' and 'sql'`);
    return { value: String(w.value), sql: sql(w.sql) };
  });
  const elseValue = value.else;
  if (elseValue !== undefined && (!isRecord(elseValue) || elseValue.sql === undefined)) throw new Error(`'case.else' of a switch must be {sql}`);
  return { switch: `${sw.cube}.${sw.member}`, when, ...(elseValue ? { else: { sql: sql(elseValue.sql) } } : {}) };
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
