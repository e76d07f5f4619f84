// Compiles one measure, dimension or segment definition into its typed, resolved form.
import type { ErrorReporter } from './error-reporter.ts';
import type { Item } from './merge-extends.ts';
import {
  checkInterval, checkKeys, enumValue, optBool, optFormat, optMeta, optString,
} from './member-props.ts';
import {
  compileDimensionTimeShift, compileMultiStage, compileSwitchCase, isSwitchCase,
} from './compile-multi-stage.ts';
import { optContextBool } from './compile-context.ts';
import { isRecord } from './normalize-props.ts';
import type { RawTemplate } from './raw-types.ts';
import { resolveJoinPathMember, resolveTemplate, type ResolveContext } from './resolve-template.ts';
import type {
  CaseWhen, CustomGranularity, Dimension, DimensionCase, DimensionType, Measure, MeasureType,
  RollingWindow, Segment, SqlTemplate,
} from './types.ts';

const MEASURE_TYPES: readonly MeasureType[] = ['count', 'countDistinct', 'countDistinctApprox', 'sum', 'avg', 'min', 'max', 'number', 'string', 'time', 'boolean', 'rank'];
const DIMENSION_TYPES: readonly DimensionType[] = ['string', 'number', 'time', 'boolean', 'geo'];
const COMMON = ['name', 'title', 'description', 'meta', 'public', 'shown', 'visible', 'sql', 'type', 'format', 'currency', 'order', 'aliasMember', 'synonyms'];
const MEASURE_KEYS = new Set([...COMMON, 'filters', 'rollingWindow', 'drillMembers', 'drillMemberReferences', 'cumulative', 'drillFilters',
  'multiStage', 'timeShift', 'groupBy', 'reduceBy', 'addGroupBy', 'orderBy', 'case']);
const DIMENSION_KEYS = new Set([...COMMON, 'case', 'latitude', 'longitude', 'primaryKey', 'subQuery', 'propagateFiltersToSubQuery', 'granularities', 'suggestFilterValues', 'values',
  'multiStage', 'timeShift']);
const SEGMENT_KEYS = new Set(['name', 'title', 'description', 'meta', 'public', 'shown', 'sql']);
const ROLLING_KEYS = new Set(['trailing', 'leading', 'offset', 'type', 'granularity']);
const IDENT = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

export interface MemberContext {
  readonly resolve: ResolveContext;
  readonly reporter: ErrorReporter;
  /** False for views: their SQL has no table of their own to prefix bare columns with. */
  readonly autoPrefix: boolean;
}

/** Shared parts, with errors collected per member: any error drops the member. */
function base(item: Item, section: string, ctx: MemberContext) {
  const p = item.props;
  const cube = ctx.resolve.cube;
  const at = [section, item.name];
  let failed = false;
  const fail = (message: string): void => { failed = true; ctx.reporter.report(item.origin, at, message, `${cube}.${section}.${item.name}`); };
  const guard = <T>(fn: () => T): T | undefined => { try { return fn(); } catch (e) { fail((e as Error).message); return undefined; } };
  if (!IDENT.test(item.name)) fail(`Invalid name '${item.name}': use letters, digits and _`);
  const sql = (value: unknown, prefix = false): SqlTemplate | undefined => guard(() => {
    const raw: RawTemplate = item.origin.reader.sql(value);
    // Cube's autoPrefixWithCubeName: a bare column name means CUBE.column.
    if (prefix && ctx.autoPrefix && raw.length === 1 && typeof raw[0] === 'string' && IDENT.test(raw[0].trim())) {
      return [{ type: 'cube', cube }, `.${raw[0].trim()}`];
    }
    return resolveTemplate(raw, ctx.resolve);
  });
  /** Cube's CubeEvaluator rule: a member's own sql may not use another cube's table alias. */
  const checkForeign = (t: SqlTemplate | undefined): void => {
    const foreign = [...new Set((t ?? []).flatMap((x) => (typeof x !== 'string' && x.type === 'cube' && x.cube !== cube ? [x.cube] : [])))];
    if (foreign.length > 0) fail(`Member '${cube}.${item.name}' references foreign cubes: ${foreign.join(', ')}. Please split and move this definition to corresponding cubes.`);
  };
  const common = guard(() => ({
    name: item.name,
    cube,
    path: `${cube}.${item.name}`,
    title: optString(p.title, 'title'),
    description: optString(p.description, 'description'),
    meta: optMeta(p.meta),
    currency: optString(p.currency, 'currency')?.toUpperCase(),
    location: { file: item.origin.file, line: item.origin.lineOf(at) },
  }));
  const cc = ctx.resolve.symbols.compileContext;
  const explicitPublic = guard(() => optContextBool(p.public, 'public', cc) ?? optContextBool(p.shown, 'shown', cc) ?? optBool(p.visible, 'visible'));
  return { p, fail, guard, sql, checkForeign, common, explicitPublic, failed: () => failed || common === undefined };
}

export function compileMeasure(item: Item, ctx: MemberContext): Measure | undefined {
  const b = base(item, 'measures', ctx);
  const { p } = b;
  b.guard(() => checkKeys(p, MEASURE_KEYS, 'measure'));
  if (p.type === undefined) b.fail(`Measure '${item.name}' needs a type`);
  let rawType = typeof p.type === 'string' && /^running_?total$/i.test(p.type) ? 'runningTotal' : p.type;
  let rollingWindow = b.guard(() => rolling(p.rollingWindow));
  if (rawType === 'runningTotal') { rawType = 'sum'; rollingWindow = { trailing: 'unbounded' }; }
  const type = p.type === undefined ? undefined : b.guard(() => enumValue(rawType, MEASURE_TYPES, 'measure type'));
  const sql = p.sql === undefined ? undefined : b.sql(p.sql, true);
  b.checkForeign(sql);
  const multiStage = b.guard(() => compileMultiStage(p, item, ctx.resolve));
  const switchCase = p.case === undefined ? undefined : b.guard(() => {
    if (!isSwitchCase(p.case)) throw new Error(`A measure's 'case' must be a switch: {switch, when: [{value, sql}], else: {sql}}`);
    return compileSwitchCase(p.case, item, ctx.resolve);
  });
  if (p.sql !== undefined && p.case !== undefined) b.fail(`Measure '${item.name}' must have only one of 'sql' or 'case'`);
  if (p.sql === undefined && p.case === undefined && type !== undefined && type !== 'count' && type !== 'rank') b.fail(`Measure '${item.name}' of type ${type} needs 'sql'`);
  const filters = b.guard(() => {
    if (p.filters === undefined) return [];
    if (!Array.isArray(p.filters)) throw new Error(`'filters' must be a list of {sql}`);
    return p.filters.map((f) => {
      if (!isRecord(f) || f.sql === undefined) throw new Error(`each filter needs 'sql'`);
      return resolveTemplate(item.origin.reader.sql(f.sql), ctx.resolve);
    });
  });
  const drillSource = p.drillMembers ?? p.drillMemberReferences;
  const drillMembers = drillSource === undefined ? [] : b.guard(() =>
    item.origin.reader.refs(drillSource).map((r) => resolveJoinPathMember(r, ctx.resolve).member));
  const format = b.guard(() => optFormat(p.format));
  const cumulative = b.guard(() => optBool(p.cumulative, 'cumulative'));
  if (type === 'rank' && !multiStage?.orderBy) b.fail(`Measure '${item.name}' of type rank needs 'multi_stage: true' and 'order_by'`);
  if (b.failed() || !type || !filters || !drillMembers) return undefined;
  return {
    ...b.common!, kind: 'measure', type, filters, drillMembers, format, rollingWindow,
    ...(sql ? { sql } : {}),
    ...(multiStage ? { multiStage } : {}), ...(switchCase ? { switchCase } : {}),
    cumulative: cumulative ?? rollingWindow !== undefined,
    public: b.explicitPublic ?? true,
  };
}

function rolling(value: unknown): RollingWindow | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error(`'rolling_window' must be an object`);
  checkKeys(value, ROLLING_KEYS, 'rolling_window');
  const w: RollingWindow = {
    trailing: value.trailing === undefined ? undefined : checkInterval(value.trailing, 'rolling_window.trailing', true),
    leading: value.leading === undefined ? undefined : checkInterval(value.leading, 'rolling_window.leading', true),
    offset: value.offset === undefined ? undefined : enumValue(value.offset, ['start', 'end'] as const, 'rolling_window offset'),
    type: value.type === undefined ? undefined : (enumValue(value.type, ['fixed', 'yearToDate', 'quarterToDate', 'monthToDate', 'toDate'] as const, 'rolling_window type')
      .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as RollingWindow['type']),
    granularity: optString(value.granularity, 'rolling_window.granularity'),
  };
  return Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined)) as RollingWindow;
}

export function compileDimension(item: Item, ctx: MemberContext): Dimension | undefined {
  const b = base(item, 'dimensions', ctx);
  const { p } = b;
  b.guard(() => checkKeys(p, DIMENSION_KEYS, 'dimension'));
  if (p.type === undefined) b.fail(`Dimension '${item.name}' needs a type`);
  const rawType = p.type === 'switch' ? 'string' : p.type;
  const type = p.type === undefined ? undefined : b.guard(() => enumValue(rawType, DIMENSION_TYPES, 'dimension type'));
  const sql = p.sql === undefined ? undefined : b.sql(p.sql, true);
  if (p.subQuery !== true) b.checkForeign(sql);
  const switchCase = isSwitchCase(p.case) ? b.guard(() => compileSwitchCase(p.case, item, ctx.resolve)) : undefined;
  const dimCase = p.case === undefined || isSwitchCase(p.case) ? undefined : b.guard(() => compileCase(p.case, item, ctx));
  const switchValues = p.type !== 'switch' ? undefined : b.guard(() => {
    if (!Array.isArray(p.values) || p.values.length === 0 || !p.values.every((v) => typeof v === 'string')) {
      throw new Error(`Switch dimension '${item.name}' needs 'values', a list of strings`);
    }
    return p.values as string[];
  });
  const multiStage = b.guard(() => {
    if (p.multiStage !== undefined && typeof p.multiStage !== 'boolean') throw new Error(`'multi_stage' must be true or false`);
    return p.multiStage === true ? true : undefined;
  });
  const timeShift = p.timeShift === undefined ? undefined : b.guard(() => {
    if (p.type !== 'time') throw new Error(`'time_shift' on a dimension is only allowed on time dimensions of calendar cubes`);
    return compileDimensionTimeShift(p.timeShift, item, ctx.resolve);
  });
  const geo = (key: 'latitude' | 'longitude'): SqlTemplate | undefined => {
    const v = p[key];
    if (v === undefined) return undefined;
    return b.sql(isRecord(v) && 'sql' in v ? v.sql : v, true);
  };
  const latitude = geo('latitude');
  const longitude = geo('longitude');
  const sources = [p.sql, p.case, p.latitude ?? p.longitude].filter((x) => x !== undefined).length;
  if (p.type === 'switch') { if (sources > 0) b.fail(`Switch dimension '${item.name}' takes no 'sql' or 'case'`); }
  else if (type === 'geo' && (p.latitude === undefined || p.longitude === undefined)) b.fail(`Geo dimension '${item.name}' needs 'latitude' and 'longitude'`);
  else if (type !== 'geo' && type !== undefined && sources !== 1) {
    b.fail(sources === 0 ? `Dimension '${item.name}' needs 'sql' or 'case'` : `Dimension '${item.name}' must have exactly one of 'sql' or 'case'`);
  }
  const primaryKey = b.guard(() => optBool(p.primaryKey, 'primary_key')) ?? false;
  const granularities = p.granularities === undefined ? [] : b.guard(() => {
    if (type !== 'time') throw new Error(`'granularities' are only allowed on time dimensions`);
    return compileGranularities(p.granularities, item, ctx);
  });
  const format = b.guard(() => optFormat(p.format));
  const flags = b.guard(() => ({
    subQuery: optBool(p.subQuery, 'sub_query') ?? false,
    propagateFiltersToSubQuery: optBool(p.propagateFiltersToSubQuery, 'propagate_filters_to_sub_query') ?? false,
    suggestFilterValues: optBool(p.suggestFilterValues, 'suggest_filter_values') ?? true,
  }));
  if (b.failed() || !type || !granularities || !flags) return undefined;
  return {
    ...b.common!, kind: 'dimension', type, primaryKey, granularities, format, ...flags,
    ...(sql ? { sql } : {}), ...(dimCase ? { case: dimCase } : {}),
    ...(latitude ? { latitude } : {}), ...(longitude ? { longitude } : {}),
    ...(switchCase ? { switchCase } : {}), ...(switchValues ? { switchValues } : {}),
    ...(multiStage ? { multiStage } : {}), ...(timeShift ? { timeShift } : {}),
    // Cube hides primary keys unless they are explicitly public.
    public: b.explicitPublic ?? !primaryKey,
  };
}

function compileCase(value: unknown, item: Item, ctx: MemberContext): DimensionCase {
  if (!isRecord(value) || !Array.isArray(value.when) || value.when.length === 0) throw new Error(`'case' needs a non-empty 'when' list`);
  const sql = (v: unknown): SqlTemplate => resolveTemplate(item.origin.reader.sql(v), ctx.resolve);
  const label = (l: unknown): CaseWhen['label'] => {
    if (typeof l === 'string') return l;
    if (isRecord(l) && l.sql !== undefined) return { sql: sql(l.sql) };
    throw new Error(`a case label must be a string or {sql}`);
  };
  const when = value.when.map((w): CaseWhen => {
    if (!isRecord(w) || w.sql === undefined) throw new Error(`each 'case.when' needs 'sql' and 'label'`);
    return { sql: sql(w.sql), label: label(w.label) };
  });
  const elseValue = value.else;
  if (elseValue !== undefined && !isRecord(elseValue)) throw new Error(`'case.else' must be {label}`);
  return elseValue ? { when, else: { label: label(elseValue.label) } } : { when };
}

function compileGranularities(value: unknown, item: Item, ctx: MemberContext): CustomGranularity[] {
  if (!Array.isArray(value)) throw new Error(`'granularities' must be a list`);
  const seen = new Set<string>();
  return value.map((g): CustomGranularity => {
    if (!isRecord(g) || typeof g.name !== 'string' || !IDENT.test(g.name)) throw new Error(`each granularity needs a valid 'name'`);
    if (seen.has(g.name)) throw new Error(`Duplicate granularity '${g.name}'`);
    seen.add(g.name);
    checkKeys(g, new Set(['name', 'title', 'interval', 'offset', 'origin', 'sql']), 'granularity');
    if (g.interval === undefined && g.sql === undefined) throw new Error(`granularity '${g.name}' needs 'interval' or 'sql'`);
    const out: CustomGranularity = {
      name: g.name,
      title: optString(g.title, 'title'),
      interval: g.interval === undefined ? undefined : checkInterval(g.interval, 'interval'),
      offset: g.offset === undefined ? undefined : checkInterval(g.offset, 'offset'),
      origin: optString(g.origin, 'origin'),
      sql: g.sql === undefined ? undefined : resolveTemplate(item.origin.reader.sql(g.sql), ctx.resolve),
    };
    if (out.origin !== undefined && Number.isNaN(Date.parse(out.origin))) throw new Error(`granularity '${g.name}': invalid origin '${out.origin}'`);
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as CustomGranularity;
  });
}

export function compileSegment(item: Item, ctx: MemberContext): Segment | undefined {
  const b = base(item, 'segments', ctx);
  b.guard(() => checkKeys(b.p, SEGMENT_KEYS, 'segment'));
  if (b.p.sql === undefined) b.fail(`Segment '${item.name}' needs 'sql'`);
  const sql = b.p.sql === undefined ? undefined : b.sql(b.p.sql);
  b.checkForeign(sql);
  if (b.failed() || !sql) return undefined;
  return { ...b.common!, kind: 'segment', sql, public: b.explicitPublic ?? true };
}
