// Mounts the funnel handlers on a Fastify app under Cube's base path, for the API server:
//   registerFunnelRoutes(app, { basePath: '/cubejs-api', context: async (req) => ({ driver, dialect, securityContext }) })
// `context` does the API's usual authentication (same token and scopes as /v1/load) and names the
// event engine's driver. Errors are thrown as WebcubeErrors for the app's one error handler.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { funnelRoutes as defaultRoutes, type FunnelRouteContext, type FunnelRoutes } from './funnel-routes.ts';

export interface FunnelRouteDeps {
  readonly basePath: string;
  readonly context: (req: FastifyRequest) => Promise<FunnelRouteContext>;
  readonly routes?: FunnelRoutes;
}

export function registerFunnelRoutes(app: FastifyInstance, deps: FunnelRouteDeps): void {
  const routes = deps.routes ?? defaultRoutes;
  app.post(`${deps.basePath}/v1/funnels`, async (req, reply) => {
    const job = await routes.submit(req.body ?? {}, await deps.context(req));
    return reply.code(202).send(job);
  });
  app.get(`${deps.basePath}/v1/funnels`, async (req) => routes.list(req.query, await deps.context(req)));
  app.get<{ Params: { id: string } }>(`${deps.basePath}/v1/funnels/:id`, async (req) => routes.get({ id: req.params.id }, await deps.context(req)));
  app.addHook('onClose', async () => { if (deps.routes) deps.routes.close(); });
}
