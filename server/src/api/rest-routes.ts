// Cube's REST routes under the base path (/cubejs-api by default): load, subscribe, sql,
// dry-run, meta, pre-aggregation jobs, the dev-mode token; plus /readyz and /livez at the root.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound, UserError } from '../errors.ts';
import { signToken } from '../auth/sign-token.ts';
import type { Engine } from './engine.ts';
import type { Readiness } from './readiness.ts';
import type { LoadService } from './load-service.ts';
import type { ContextFactory } from './request-context.ts';
import { ServerTiming } from './server-timing.ts';

export type RestDeps = {
  basePath: string;
  engine: Engine;
  service: LoadService;
  contexts: ContextFactory;
  devMode: boolean;
  /** Secret that signs dev-mode tokens (the configured one, or a random one in dev mode). */
  secret: string;
  /** The logged readiness check (readiness.ts) shared with the server's start. */
  readiness: () => Promise<Readiness>;
};

type Params = { query?: unknown; queryType?: unknown; extended?: unknown };

/** GET carries `?query=<json>&queryType=multi`; POST a JSON body `{ query, queryType }`. */
function paramsOf(req: FastifyRequest): Params {
  if (req.method === 'GET') return (req.query ?? {}) as Params;
  const body = req.body;
  if (body === undefined || body === null || body === '') return {};
  if (typeof body !== 'object') throw new UserError('Invalid request body: expected a JSON object');
  return body as Params;
}

export function registerRestRoutes(app: FastifyInstance, deps: RestDeps): void {
  const { basePath, engine, service, contexts } = deps;
  const both = ['GET', 'POST'] as const;

  for (const path of ['/v1/load', '/v1/subscribe']) {
    app.route({
      method: [...both],
      url: `${basePath}${path}`,
      handler: async (req, reply) => {
        const timing = new ServerTiming();
        const ctx = await timing.time('auth', () => contexts(req, 'data'));
        const p = paramsOf(req);
        try {
          return await service.load(p.query, ctx, { multi: p.queryType === 'multi', timing });
        } finally {
          reply.header('Server-Timing', timing.header());
        }
      },
    });
  }

  app.route({
    method: [...both],
    url: `${basePath}/v1/sql`,
    handler: async (req) => service.sql(paramsOf(req).query, await contexts(req, 'meta')),
  });

  app.route({
    method: [...both],
    url: `${basePath}/v1/dry-run`,
    handler: async (req) => service.dryRun(paramsOf(req).query, await contexts(req, 'meta')),
  });

  app.get(`${basePath}/v1/meta`, async (req) => {
    const ctx = await contexts(req, 'meta');
    const mc = await engine.getModel(ctx);
    const { extended, onlyViews } = req.query as Params & { onlyViews?: unknown };
    const cubes = engine.meta(mc, { extended: extended !== undefined && extended !== 'false' }) as { type?: string }[];
    return { cubes: onlyViews === 'true' ? cubes.filter((c) => c.type === 'view') : cubes };
  });

  app.post(`${basePath}/v1/pre-aggregations/jobs`, async (req, reply) => {
    const ctx = await contexts(req, 'jobs');
    if (!engine.preAggregationJobs) {
      reply.code(501);
      return { error: 'The pre-aggregation jobs API is not available in this build' };
    }
    return engine.preAggregationJobs(req.body, ctx);
  });

  // Cube's playground hands its page a token; our dashboard does the same, in dev mode only.
  const devToken = async () => {
    if (!deps.devMode) throw new NotFound('Not found');
    return { token: await signToken({}, deps.secret, { expiresIn: '30d' }) };
  };
  app.get(`${basePath}/v1/dev-token`, devToken);
  app.get('/playground/context', async () => {
    const { token } = await devToken();
    return { cubejsToken: token, basePath, isDocker: false, anonymousId: null };
  });

  app.get('/livez', async () => ({ health: 'HEALTH' }));
  app.get('/readyz', async (_req, reply) => {
    const r = await deps.readiness();
    reply.code(r.ok ? 200 : 500);
    return r.ok ? { health: 'HEALTH' } : { health: 'DOWN', reason: r.reason };
  });
}
