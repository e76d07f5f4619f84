// `/cubejs-api/graphql`: executes Cube-style GraphQL through the same load pipeline as REST, with
// the schema generated per compiled model (cached) and times returned as UTC ISO strings with Z.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { execute, GraphQLError, parse, specifiedRules, validate, type DocumentNode, type ExecutionResult, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { Overloaded, UserError, WebcubeError } from '../errors.ts';
import { logFault } from '../api/log-fault.ts';
import { localToUtc } from '../query/time-zone.ts';
import type { RequestContext } from '../api/cube-options.ts';
import type { Engine, ModelContext } from '../api/engine.ts';
import type { LoadService } from '../api/load-service.ts';
import { ContinueWait } from '../api/query-runner.ts';
import type { ContextFactory } from '../api/request-context.ts';
import { buildSchema, fieldName, type MetaCube, type SchemaIndex } from './build-schema.ts';
import { checkDocumentDepth } from './document-depth.ts';
import { rootFieldLimit } from './root-field-limit.ts';
import { toCubeQuery } from './to-cube-query.ts';

type GqlContext = { ctx: RequestContext; service: LoadService; index: SchemaIndex };
type Built = { schema: GraphQLSchema; index: SchemaIndex };

const schemas = new WeakMap<object, Built>();

export function schemaFor(engine: Engine, mc: ModelContext): Built {
  let built = schemas.get(mc.model);
  if (!built) {
    const resolve: GraphQLFieldResolver<unknown, GqlContext> = async (_src, args, gctx, info) => {
      const query = toCubeQuery(gctx.index, args, info);
      const result = await loadPatiently(gctx.service, query, gctx.ctx);
      return toGraphqlRows(result, gctx.index);
    };
    built = buildSchema(engine.meta(mc) as MetaCube[], resolve as GraphQLFieldResolver<unknown, unknown>);
    schemas.set(mc.model, built);
  }
  return built;
}

/** GraphQL clients do not poll on "Continue wait", so the resolver keeps waiting (bounded). */
async function loadPatiently(service: LoadService, query: unknown, ctx: RequestContext): Promise<LoadResult> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      return await service.load(query, ctx, { multi: false }) as LoadResult;
    } catch (error) {
      if (!(error instanceof ContinueWait) || Date.now() > deadline) throw error;
    }
  }
}

type LoadResult = { query: { timezone: string; dimensions: string[] }; data: Record<string, unknown>[] };

export function toGraphqlRows(result: LoadResult, index: SchemaIndex): Record<string, Record<string, unknown>>[] {
  const tz = result.query.timezone;
  const selectedDims = new Set(result.query.dimensions);
  const iso = (v: unknown) => (typeof v === 'string' ? `${localToUtc(v, tz)}Z` : v);
  return result.data.map((row) => {
    const out: Record<string, Record<string, unknown>> = {};
    for (const [key, value] of Object.entries(row)) {
      const parts = key.split('.');
      if (parts.length < 2) continue;
      const member = index.members.get(`${parts[0]}.${parts[1]}`);
      if (!member) continue;
      const cubeField = (out[fieldName(parts[0]!)] ??= {});
      if (parts.length === 3) {
        ((cubeField[parts[1]!] ??= {}) as Record<string, unknown>)[parts[2]!] = iso(value);
      } else if (member.type === 'time') {
        if (selectedDims.has(key)) ((cubeField[parts[1]!] ??= {}) as Record<string, unknown>).value = iso(value);
      } else {
        cubeField[parts[1]!] = value;
      }
    }
    return out;
  });
}

/** The status of an answer with errors. Partial data is a 200, as GraphQL over HTTP has it. With no
 *  data, parse and validation failures are 400, and a resolver's error has its own status (a bad
 *  query 400, a refused context 403); any other error is a fault: logged, and 500. */
function errorStatus(errors: readonly GraphQLError[], data: unknown, where: string): { status: number; retryAfterSeconds?: number } {
  const expected = (e: Error) => e instanceof WebcubeError || e instanceof GraphQLError || e instanceof ContinueWait;
  const faults = errors.map((e) => e.originalError).filter((e): e is Error => e !== undefined && !expected(e));
  for (const fault of faults) logFault(where, fault);
  if (data !== undefined && data !== null) return { status: 200 };
  if (faults.length > 0) return { status: 500 };
  const own = errors.map((e) => e.originalError).find((e): e is WebcubeError => e instanceof WebcubeError);
  if (own instanceof Overloaded) return { status: 503, retryAfterSeconds: own.retryAfterSeconds };
  return { status: own?.status ?? (errors.some((e) => e.originalError instanceof ContinueWait) ? 503 : 400) };
}

type GqlParams = { query?: unknown; variables?: unknown; operationName?: unknown };
type GqlRequest = { query: string; variables: Record<string, unknown> | undefined; operationName: string | undefined };

function readRequest(p: GqlParams): GqlRequest {
  if (typeof p.query !== 'string' || p.query.trim() === '') throw new UserError('Must provide query string.');
  let variables = p.variables;
  if (typeof variables === 'string' && variables !== '') {
    try { variables = JSON.parse(variables); } catch { throw new UserError('Variables are invalid JSON.'); }
  }
  checkDocumentDepth(p.query);
  return {
    query: p.query,
    variables: (variables ?? undefined) as Record<string, unknown> | undefined,
    operationName: typeof p.operationName === 'string' ? p.operationName : undefined,
  };
}

function paramsOf(req: FastifyRequest): GqlParams {
  const p = (req.method === 'GET' ? req.query : req.body) as GqlParams | undefined;
  if (!p || typeof p !== 'object') throw new UserError('Must provide query string.');
  return p;
}

/** graphql-js's `graphql()`, with the root-field limit added to the specified validation rules. */
async function runDocument(schema: GraphQLSchema, request: GqlRequest, contextValue: GqlContext): Promise<ExecutionResult> {
  let document: DocumentNode;
  try {
    document = parse(request.query);
  } catch (error) {
    return { errors: [error as GraphQLError] };
  }
  const invalid = validate(schema, document, [...specifiedRules, rootFieldLimit]);
  if (invalid.length > 0) return { errors: invalid };
  return execute({ schema, document, variableValues: request.variables, operationName: request.operationName, contextValue });
}

export function registerGraphqlRoute(
  app: FastifyInstance,
  deps: { basePath: string; engine: Engine; service: LoadService; contexts: ContextFactory },
): void {
  app.route({
    method: ['GET', 'POST'],
    url: `${deps.basePath}/graphql`,
    handler: async (req, reply) => {
      const ctx = await deps.contexts(req, 'graphql');
      let request: GqlRequest;
      try {
        request = readRequest(paramsOf(req));
      } catch (error) {
        // A request no GraphQL server could run: 400 in GraphQL's shape, as express-graphql answers it.
        if (!(error instanceof UserError)) throw error;
        reply.code(400);
        return { errors: [{ message: error.message }] };
      }
      const mc = await deps.engine.getModel(ctx);
      const { schema, index } = schemaFor(deps.engine, mc);
      const result = await runDocument(schema, request, { ctx, service: deps.service, index });
      if (result.errors) {
        const { status, retryAfterSeconds } = errorStatus(result.errors, result.data, `${req.method} ${req.url.split('?')[0]}`);
        reply.code(status);
        if (status === 503) reply.header('retry-after', String(retryAfterSeconds ?? 5));
      }
      return {
        ...(result.errors ? { errors: result.errors.map((e) => ({ message: e.message, locations: e.locations, path: e.path })) } : {}),
        ...(result.data !== undefined ? { data: result.data } : {}),
      };
    },
  });
}
