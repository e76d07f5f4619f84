// Assembles the HTTP application. Fastify rather than bare node:http: its router, JSON body
// parsing with a size limit and error hook cost well under a millisecond per request (see
// bench/api.ts) and spare us hand-written equivalents; CORS and static files use its plugins.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { constants as zlib } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import compress from '@fastify/compress';
import cors from '@fastify/cors';
import fastifyStatic from '@fastify/static';
import type { ServerConfig } from '../config.ts';
import { createAuthenticator } from '../auth/authenticate.ts';
import { answerClientError } from './client-error.ts';
import type { CubeOptions } from './cube-options.ts';
import type { Engine } from './engine.ts';
import { toErrorReply } from './error-envelope.ts';
import { LoadService } from './load-service.ts';
import { logFault } from './log-fault.ts';
import { createReadinessCheck, type Readiness } from './readiness.ts';
import { createContextFactory } from './request-context.ts';
import { registerRestRoutes } from './rest-routes.ts';
import { registerForgetRoute } from './forget-route.ts';
import { registerGraphqlRoute } from '../graphql/graphql-route.ts';
import { registerFunnelRoutes } from '../funnels/register-funnel-routes.ts';

export type AppDeps = { config: ServerConfig; options: CubeOptions; engine: Engine; secret: string };

export async function buildApp({ config, options, engine, secret }: AppDeps): Promise<{ app: FastifyInstance; service: LoadService; readiness: () => Promise<Readiness> }> {
  const basePath = normalizeBasePath(options.basePath ?? '/cubejs-api');
  const app = Fastify({
    logger: config.logLevel === 'trace' || config.logLevel === 'info' ? { level: config.logLevel === 'trace' ? 'trace' : 'info' } : false,
    bodyLimit: config.maxBodyBytes,
    clientErrorHandler: answerClientError,
  });

  const corsOptions = options.http?.cors ?? {};
  await app.register(cors, {
    origin: (corsOptions.origin as never) ?? true,
    credentials: corsOptions.credentials ?? false,
    allowedHeaders: ['Authorization', 'Content-Type', 'x-request-id', 'X-Request-Id'],
    methods: ['GET', 'POST', 'OPTIONS'],
  });

  // Large results (thousands of rows) shrink ~10x; small answers skip the CPU cost.
  // Brotli at quality 4 compresses about as well as gzip -6 in a fraction of its default (11) time.
  await app.register(compress, {
    threshold: 8192,
    encodings: ['br', 'gzip', 'deflate'],
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
  });

  const service = new LoadService(engine, options, config);
  const authenticate = createAuthenticator(
    { devMode: config.devMode, secret, jwt: config.jwt },
    options,
  );
  const contexts = createContextFactory(authenticate, options, config.defaultApiScopes);

  app.setErrorHandler((error, req, reply) => {
    const requestId = (req as { requestId?: string }).requestId;
    const out = toErrorReply(error, { devMode: config.devMode, requestId });
    if (out.status >= 500) {
      req.log.error(error);
      if (out.status !== 503) logFault(`${req.method} ${req.url.split('?')[0]}`, error);
    }
    if (out.headers) reply.headers(out.headers);
    reply.code(out.status).send(out.body);
  });

  const readiness = createReadinessCheck(engine);
  registerRestRoutes(app, { basePath, engine, service, contexts, devMode: config.devMode, secret, readiness });
  registerGraphqlRoute(app, { basePath, engine, service, contexts });
  registerForgetRoute(app, { contexts, env: { ...config.env, WEBCUBE_DATA_DIR: config.dataDir }, log: (m) => app.log.warn(m) });
  registerFunnelRoutes(app, {
    basePath,
    context: async (req) => {
      const ctx = await contexts(req, 'data');
      return { ...(await engine.sourceDriver(ctx)), securityContext: ctx.securityContext, eventsTable: config.eventsTable };
    },
  });
  await registerDashboard(app, config.dashboardDir, basePath);
  return { app, service, readiness };
}

function normalizeBasePath(p: string): string {
  const trimmed = `/${p.replace(/^\/+|\/+$/g, '')}`;
  return trimmed === '/' ? '' : trimmed;
}

/** Serves the built dashboard at `/` with an SPA fallback to index.html; API paths stay JSON 404s. */
async function registerDashboard(app: FastifyInstance, dir: string, basePath: string): Promise<void> {
  const root = resolve(dir);
  const hasDashboard = existsSync(resolve(root, 'index.html'));
  if (hasDashboard) {
    await app.register(fastifyStatic, {
      root, prefix: '/', wildcard: true, index: ['index.html'],
      // Vite fingerprints everything under assets/: cache it for good, revalidate the page itself.
      setHeaders: (res, path) => {
        res.header('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    const isApi = (basePath !== '' && url.startsWith(`${basePath}/`)) || url === basePath;
    if (hasDashboard && req.method === 'GET' && !isApi && !/\.[a-z0-9]+$/i.test(url)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply.code(404).send({ error: `Not found: ${req.method} ${url}` });
  });
}
