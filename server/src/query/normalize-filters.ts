// Validates Cube filters (member/dimension, operator, values; nested and/or) against the model
// and stringifies values the way Cube does; date operators get their values checked up front.
import { UserError } from '../errors.ts';
import type { CompiledModel } from '../model/types.ts';
import { parseDateRange } from './date-range.ts';
import type { RawFilter } from './query-schema.ts';
import { resolveMember } from './resolve-member.ts';
import { parseLocal } from './time-zone.ts';
import { FILTER_OPERATORS, type FilterOperator, type NormalizedFilter } from './types.ts';

const NO_VALUES = new Set<FilterOperator>(['set', 'notSet', 'measureFilter']);
const DATE_OPS = new Set<FilterOperator>(['inDateRange', 'notInDateRange', 'onTheDate', 'beforeDate', 'beforeOrOnDate', 'afterDate', 'afterOrOnDate']);

export function normalizeFilters(raw: readonly RawFilter[], model: CompiledModel, timezone: string, now: Date): NormalizedFilter[] {
  return raw.map((f) => normalizeFilter(f, model, timezone, now));
}

function normalizeFilter(f: RawFilter, model: CompiledModel, timezone: string, now: Date): NormalizedFilter {
  if (f.and) return { and: normalizeFilters(f.and, model, timezone, now) };
  if (f.or) return { or: normalizeFilters(f.or, model, timezone, now) };
  const path = f.member ?? f.dimension;
  if (!path) throw new UserError('Invalid query format: a filter needs "member" (or "dimension") and "operator"');
  const member = resolveMember(model, path);
  if (member.kind === 'segment') throw new UserError(`'${path}' is a segment: put it in "segments", not in filters`);
  const operator = f.operator as FilterOperator;
  if (!FILTER_OPERATORS.includes(operator)) {
    throw new UserError(`Invalid query format: filter operator '${f.operator}' is not supported. Use one of: ${FILTER_OPERATORS.join(', ')}`);
  }
  if (operator === 'measureFilter' && member.kind !== 'measure') throw new UserError(`measureFilter needs a measure, '${path}' is a dimension`);
  let values = (f.values ?? []).map((v) => (v === null ? null : String(v)));
  if (!NO_VALUES.has(operator) && values.length === 0) {
    throw new UserError(`Values required for filter: ${JSON.stringify({ member: path, operator, values: f.values })}`);
  }
  if (DATE_OPS.has(operator)) {
    if (member.kind !== 'dimension' || member.type !== 'time') throw new UserError(`Filter operator '${operator}' needs a time dimension, '${path}' is not one`);
    values = normalizeDateValues(operator, values, timezone, now);
  } else if (member.type === 'time' && BOUND_AS_TIME.has(operator)) {
    checkTimeValues(values);
  }
  return { member: path, operator, values };
}

/** Operators whose values are bound as timestamps on a time member (the LIKE ones bind text). */
const BOUND_AS_TIME = new Set<FilterOperator>(['equals', 'notEquals', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte']);

/** Values compared with a time member must be local times, as the date operators' are. */
function checkTimeValues(values: readonly (string | null)[]): void {
  for (const v of values) if (v !== null && parseLocal(v) === null) throw new UserError(`Can't parse date: '${v}'`);
}

function normalizeDateValues(op: FilterOperator, values: (string | null)[], timezone: string, now: Date): string[] {
  if (values.some((v) => v === null)) throw new UserError(`Filter operator '${op}' does not take null values`);
  const vs = values as string[];
  if (op === 'inDateRange' || op === 'notInDateRange' || op === 'onTheDate') {
    // A single relative phrase ('last 7 days') is accepted too, as the dateRange of a time dimension.
    const range = vs.length === 1 && parseLocal(vs[0]) === null ? vs[0] : vs.slice(0, 2);
    return [...parseDateRange(range, timezone, now)];
  }
  const local = parseLocal(vs[0]);
  if (local === null) throw new UserError(`Can't parse date: '${vs[0]}'`);
  const end = op === 'beforeOrOnDate' || op === 'afterDate';
  return [parseDateRange(end ? [vs[0], vs[0]] : [vs[0]], timezone, now)[end ? 1 : 0]];
}
