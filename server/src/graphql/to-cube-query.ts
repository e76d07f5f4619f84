// Translates a GraphQL `cube(...)` selection into a Cube REST query, as Cube's getJsonQuery:
// selected members become measures / dimensions / time dimensions (granularity sub-fields),
// `where` becomes filters (`in` → equals, `set: false` → notSet), the first inDateRange
// filter on a time member becomes its dateRange, `orderBy` becomes order.
import type { FieldNode, GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import { UserError } from '../errors.ts';
import type { SchemaIndex } from './build-schema.ts';

type Filter = Record<string, unknown>;

function mapOperator(op: string, value: unknown): string {
  if (op === 'in') return 'equals';
  if (op === 'notIn') return 'notEquals';
  if (op === 'set') return value === true ? 'set' : 'notSet';
  return op;
}

function mapValues(op: string, value: unknown): string[] | string | undefined {
  if (op === 'set') return undefined;
  const values = (Array.isArray(value) ? value : [value]).map((v) => String(v));
  // A single relative phrase ("last 7 days") stays a string, as Cube's dateRange accepts it.
  if ((op === 'inDateRange' || op === 'notInDateRange') && values.length === 1 && !/^\d{4}-\d{2}-\d{2}/.test(values[0]!)) return values[0];
  return values;
}

function cubeWhere(cube: string, where: Record<string, unknown>): Filter[] {
  const out: Filter[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === null || value === undefined) continue;
    if (key === 'AND' || key === 'OR') {
      out.push({ [key.toLowerCase()]: (value as Record<string, unknown>[]).flatMap((w) => cubeWhere(cube, w)) });
      continue;
    }
    for (const [op, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || v === undefined) continue;
      const values = mapValues(op, v);
      out.push({ member: `${cube}.${key}`, operator: mapOperator(op, v), ...(values !== undefined ? { values } : {}) });
    }
  }
  return out;
}

function rootWhere(index: SchemaIndex, where: Record<string, unknown>): Filter[] {
  const out: Filter[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === null || value === undefined) continue;
    if (key === 'AND' || key === 'OR') {
      out.push({ [key.toLowerCase()]: (value as Record<string, unknown>[]).flatMap((w) => rootWhere(index, w)) });
      continue;
    }
    out.push(...cubeWhere(cubeOf(index, key), value as Record<string, unknown>));
  }
  return out;
}

function cubeOf(index: SchemaIndex, field: string): string {
  const cube = index.cubeByField.get(field);
  if (!cube) throw new UserError(`Unknown cube field '${field}'`);
  return cube;
}

function children(node: FieldNode | undefined, info: GraphQLResolveInfo): FieldNode[] {
  return fieldsOf(node?.selectionSet, info);
}

/** Fields of a selection set with fragments expanded and @skip/@include applied. */
function fieldsOf(set: SelectionSetNode | undefined, info: GraphQLResolveInfo): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set?.selections ?? []) {
    if (!included(sel.directives, info)) continue;
    if (sel.kind === 'Field') {
      if (sel.name.value !== '__typename') out.push(sel);
    } else if (sel.kind === 'InlineFragment') {
      out.push(...fieldsOf(sel.selectionSet, info));
    } else {
      out.push(...fieldsOf(info.fragments[sel.name.value]?.selectionSet, info));
    }
  }
  return out;
}

function included(directives: FieldNode['directives'], info: GraphQLResolveInfo): boolean {
  for (const d of directives ?? []) {
    const arg = d.arguments?.find((a) => a.name.value === 'if');
    if (!arg) continue;
    const v = arg.value.kind === 'Variable' ? info.variableValues[arg.value.name.value] : arg.value.kind === 'BooleanValue' ? arg.value.value : undefined;
    if (d.name.value === 'include' && !v) return false;
    if (d.name.value === 'skip' && v) return false;
  }
  return true;
}

export function toCubeQuery(index: SchemaIndex, args: Record<string, unknown>, info: GraphQLResolveInfo): Record<string, unknown> {
  const measures: string[] = [];
  const dimensions: string[] = [];
  const timeDimensions: Record<string, unknown>[] = [];
  const order: [string, string][] = [];
  let filters: Filter[] = args.where ? rootWhere(index, args.where as Record<string, unknown>) : [];

  for (const [field, members] of Object.entries((args.orderBy ?? {}) as Record<string, Record<string, string>>)) {
    for (const [member, dir] of Object.entries(members ?? {})) order.push([`${cubeOf(index, field)}.${member}`, dir]);
  }

  const resultType = info.schema.getType('Result') as import('graphql').GraphQLObjectType;
  for (const cubeNode of children(info.fieldNodes[0], info)) {
    const cube = cubeOf(index, cubeNode.name.value);
    const fieldDef = resultType.getFields()[cubeNode.name.value]!;
    const cubeArgs = getArgumentValues(fieldDef, cubeNode, info.variableValues) as { where?: Record<string, unknown>; orderBy?: Record<string, string> };
    for (const [member, dir] of Object.entries(cubeArgs.orderBy ?? {})) order.push([`${cube}.${member}`, dir]);
    if (cubeArgs.where) filters = cubeWhere(cube, cubeArgs.where).concat(filters);

    // Push the first inDateRange per member into its time dimension (lets rollups match, as Cube does).
    const dateRanges = new Map<string, unknown>();
    filters = filters.filter((f) => {
      if (f.operator === 'inDateRange' && typeof f.member === 'string' && f.member.startsWith(`${cube}.`) && !dateRanges.has(f.member)) {
        dateRanges.set(f.member, f.values);
        return false;
      }
      return true;
    });

    for (const memberNode of children(cubeNode, info)) {
      const key = `${cube}.${memberNode.name.value}`;
      const member = index.members.get(key);
      if (!member) throw new UserError(`Unknown member '${key}'`);
      if (member.kind === 'measure') { measures.push(key); continue; }
      const grans = children(memberNode, info);
      if (grans.length === 0) { dimensions.push(key); continue; }
      for (const g of grans) {
        if (g.name.value === 'value') dimensions.push(key);
        else timeDimensions.push({ dimension: key, granularity: g.name.value, ...(dateRanges.has(key) ? { dateRange: dateRanges.get(key) } : {}) });
      }
    }
    for (const [dimension, dateRange] of dateRanges) {
      if (!timeDimensions.some((td) => td.dimension === dimension)) timeDimensions.push({ dimension, dateRange });
    }
  }

  const q: Record<string, unknown> = {};
  if (measures.length) q.measures = [...new Set(measures)];
  if (dimensions.length) q.dimensions = [...new Set(dimensions)];
  if (timeDimensions.length) q.timeDimensions = timeDimensions;
  if (order.length) q.order = order;
  if (typeof args.limit === 'number') q.limit = args.limit;
  if (typeof args.offset === 'number') q.offset = args.offset;
  if (typeof args.timezone === 'string') q.timezone = args.timezone;
  if (filters.length) q.filters = filters;
  if (args.renewQuery) q.renewQuery = true;
  if (typeof args.cache === 'string') q.cache = args.cache;
  if (args.ungrouped) q.ungrouped = true;
  return q;
}
