// Generates Cube's GraphQL schema from the visible /meta cubes: a `cube` root field returning
// `Result` rows with one field per cube (first letter lower-cased), `<Cube>Members` objects,
// `<Cube>WhereInput` / `<Cube>OrderByInput`, and the shared filter, OrderBy and TimeDimension
// types (api-gateway graphql.ts). Names map back to cubes through a table, not by re-capitalising,
// which is what breaks lower-case cube names in Cube (#5643, #6497).
import {
  GraphQLBoolean, GraphQLEnumType, GraphQLFloat, GraphQLInputObjectType, GraphQLInt, GraphQLList,
  GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString,
  type GraphQLFieldConfigMap, type GraphQLInputFieldConfigMap, type GraphQLFieldResolver,
} from 'graphql';

export type MetaMember = { name: string; type: string; isVisible?: boolean; description?: string };
export type MetaCube = { name: string; public?: boolean; isVisible?: boolean; measures: MetaMember[]; dimensions: MetaMember[] };

/** What the resolver needs to turn a GraphQL selection back into a Cube query. */
export type SchemaIndex = {
  /** GraphQL field name → cube name. */
  cubeByField: Map<string, string>;
  /** `cube.member` → 'measure' | 'dimension', with the member's type. */
  members: Map<string, { kind: 'measure' | 'dimension'; type: string }>;
};

const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO-8601 date-time string in UTC, e.g. 2024-01-01T00:00:00.000Z',
  serialize: (v) => (v instanceof Date ? v.toISOString() : v === null ? null : String(v)),
  parseValue: (v) => v,
});

const list = <T extends import('graphql').GraphQLType>(t: T) => new GraphQLList(new GraphQLNonNull(t as never));

const FloatFilter = new GraphQLInputObjectType({
  name: 'FloatFilter',
  fields: {
    equals: { type: GraphQLFloat }, notEquals: { type: GraphQLFloat },
    in: { type: new GraphQLList(GraphQLFloat) }, notIn: { type: new GraphQLList(GraphQLFloat) },
    set: { type: GraphQLBoolean },
    gt: { type: GraphQLFloat }, lt: { type: GraphQLFloat }, gte: { type: GraphQLFloat }, lte: { type: GraphQLFloat },
  },
});

const strings = () => ({ type: new GraphQLList(GraphQLString) });
const StringFilter = new GraphQLInputObjectType({
  name: 'StringFilter',
  fields: {
    equals: { type: GraphQLString }, notEquals: { type: GraphQLString },
    in: strings(), notIn: strings(), contains: strings(), notContains: strings(),
    startsWith: strings(), notStartsWith: strings(), endsWith: strings(), notEndsWith: strings(),
    set: { type: GraphQLBoolean },
  },
});

const DateTimeFilter = new GraphQLInputObjectType({
  name: 'DateTimeFilter',
  fields: {
    equals: strings(), notEquals: strings(), in: strings(), notIn: strings(),
    inDateRange: strings(), notInDateRange: strings(),
    beforeDate: { type: GraphQLString }, beforeOrOnDate: { type: GraphQLString },
    afterDate: { type: GraphQLString }, afterOrOnDate: { type: GraphQLString },
    set: { type: GraphQLBoolean },
  },
});

const OrderBy = new GraphQLEnumType({ name: 'OrderBy', values: { asc: { value: 'asc' }, desc: { value: 'desc' } } });

const GRANULARITY_FIELDS = ['value', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
const TimeDimension = new GraphQLObjectType({
  name: 'TimeDimension',
  fields: Object.fromEntries(GRANULARITY_FIELDS.map((g) => [g, { type: DateTime }])),
});

/** inflection's camelize(name, false): `page_views` → `PageViews`. */
export function typeBaseName(cubeName: string): string {
  return cubeName.split('_').filter(Boolean).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('') || cubeName;
}

export function fieldName(cubeName: string): string {
  return cubeName[0]!.toLowerCase() + cubeName.slice(1);
}

const outputType = (type: string) => (type === 'time' ? TimeDimension : type === 'number' ? GraphQLFloat : GraphQLString);
const filterType = (type: string) => (type === 'time' ? DateTimeFilter : type === 'number' ? FloatFilter : StringFilter);
const memberField = (path: string) => path.split('.').slice(1).join('');

export function buildSchema(cubes: readonly MetaCube[], resolve: GraphQLFieldResolver<unknown, unknown>): { schema: GraphQLSchema; index: SchemaIndex } {
  const index: SchemaIndex = { cubeByField: new Map(), members: new Map() };
  const resultFields: GraphQLFieldConfigMap<unknown, unknown> = {};
  const rootWhereFields: GraphQLInputFieldConfigMap = {};
  const rootOrderFields: GraphQLInputFieldConfigMap = {};
  const usedTypeNames = new Set<string>();

  let RootWhereInput: GraphQLInputObjectType;
  for (const cube of cubes) {
    if (cube.public === false) continue;
    const measures = cube.measures.filter((m) => m.isVisible !== false);
    const dimensions = cube.dimensions.filter((d) => d.isVisible !== false);
    if (measures.length + dimensions.length === 0) continue;
    let base = typeBaseName(cube.name);
    while (usedTypeNames.has(base)) base = `${base}_`;
    usedTypeNames.add(base);
    const field = fieldName(cube.name);
    index.cubeByField.set(field, cube.name);
    for (const m of measures) index.members.set(m.name, { kind: 'measure', type: m.type });
    for (const d of dimensions) index.members.set(d.name, { kind: 'dimension', type: d.type });
    const all = [...measures, ...dimensions];

    const Members = new GraphQLObjectType({
      name: `${base}Members`,
      fields: Object.fromEntries(all.map((m) => [memberField(m.name), { type: outputType(m.type), description: m.description }])),
    });
    const WhereInput: GraphQLInputObjectType = new GraphQLInputObjectType({
      name: `${base}WhereInput`,
      fields: () => ({
        AND: { type: list(WhereInput) },
        OR: { type: list(WhereInput) },
        ...Object.fromEntries(all.map((m) => [memberField(m.name), { type: filterType(m.type) }])),
      }),
    });
    const OrderByInput = new GraphQLInputObjectType({
      name: `${base}OrderByInput`,
      fields: Object.fromEntries(all.map((m) => [memberField(m.name), { type: OrderBy }])),
    });
    resultFields[field] = {
      type: new GraphQLNonNull(Members),
      args: { where: { type: WhereInput }, orderBy: { type: OrderByInput } },
    };
    rootWhereFields[field] = { type: WhereInput };
    rootOrderFields[field] = { type: OrderByInput };
  }

  RootWhereInput = new GraphQLInputObjectType({
    name: 'RootWhereInput',
    fields: () => ({ AND: { type: list(RootWhereInput) }, OR: { type: list(RootWhereInput) }, ...rootWhereFields }),
  });
  const RootOrderByInput = new GraphQLInputObjectType({
    name: 'RootOrderByInput',
    // GraphQL forbids an input object without fields; a model with no visible cube still gets a valid schema.
    fields: Object.keys(rootOrderFields).length ? rootOrderFields : { _empty: { type: OrderBy } },
  });
  const Result = new GraphQLObjectType({
    name: 'Result',
    fields: Object.keys(resultFields).length ? resultFields : { _empty: { type: GraphQLString } },
  });

  const Query = new GraphQLObjectType({
    name: 'Query',
    fields: {
      cube: {
        type: new GraphQLNonNull(list(Result)),
        args: {
          where: { type: RootWhereInput },
          limit: { type: GraphQLInt },
          offset: { type: GraphQLInt },
          timezone: { type: GraphQLString },
          renewQuery: { type: GraphQLBoolean },
          cache: { type: GraphQLString },
          ungrouped: { type: GraphQLBoolean },
          orderBy: { type: RootOrderByInput },
        },
        resolve,
      },
    },
  });
  return { schema: new GraphQLSchema({ query: Query, types: [DateTime, FloatFilter, StringFilter, DateTimeFilter, OrderBy, TimeDimension] }), index };
}
