// HTTP-agnostic handlers for the funnel API, for the API server to mount:
//   POST /cubejs-api/v1/funnels      submit(body, ctx)  → the job (status queued/running)
//   GET  /cubejs-api/v1/funnels/:id  get(params, ctx)   → the job, with steps once done
//   GET  /cubejs-api/v1/funnels      list(query, ctx)   → { funnels: finished jobs, newest first }
// Same auth as the rest of the API: a token whose security context has `app_id` (one or a list)
// only runs funnels over those sites and only sees its own jobs.
import { AuthError, NotFound } from '../errors.ts';
import type { Driver } from '../drivers/types.ts';
import type { Dialect } from '../sql/dialect.ts';
import { getFunnelDialect } from './funnel-dialect.ts';
import { FunnelJobQueue, type FunnelJob, type FunnelJobQueueOptions } from './funnel-jobs.ts';
import { normalizeFunnelRequest } from './funnel-request.ts';
import { runFunnel, type FunnelBreakdownItem, type FunnelRangeResult, type FunnelStepResult } from './run-funnel.ts';

export interface FunnelRouteContext {
  readonly driver: Driver;
  readonly dialect: string | Dialect;
  readonly securityContext?: Readonly<Record<string, unknown>> | null;
  /** The events table on that engine (WEBCUBE_EVENTS_TABLE); `atomic.events` by default. */
  readonly eventsTable?: string;
}

export interface FunnelJobView {
  readonly id: string;
  readonly name: string;
  readonly status: FunnelJob['status'];
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly error?: string;
  readonly request: {
    readonly steps: readonly unknown[]; readonly windowSeconds: number; readonly dateRange: readonly [string, string];
    readonly compareDateRange?: readonly [string, string]; readonly timezone: string; readonly breakdown?: string; readonly appId?: readonly string[];
  };
  readonly dateRange?: readonly [string, string];
  readonly steps?: readonly FunnelStepResult[];
  readonly breakdown?: readonly FunnelBreakdownItem[];
  readonly compare?: FunnelRangeResult;
  readonly medianIsApproximate?: boolean;
}

export interface FunnelRoutes {
  submit(body: unknown, ctx: FunnelRouteContext): Promise<FunnelJobView>;
  get(params: { readonly id: string }, ctx: FunnelRouteContext): Promise<FunnelJobView>;
  list(query: unknown, ctx: FunnelRouteContext): Promise<{ readonly funnels: FunnelJobView[] }>;
  /** Waits for queued and running jobs (tests, graceful shutdown). */
  idle(): Promise<void>;
  close(): void;
}

/** The sites a security context may read, or null for a site-wide token (as queryRewrite in cube.js). */
export function allowedAppIds(securityContext: FunnelRouteContext['securityContext']): readonly string[] | null {
  const raw = securityContext?.app_id;
  if (raw === undefined || raw === null) return null;
  const ids = (Array.isArray(raw) ? raw : [raw]).map(String);
  if (ids.length === 0) throw new AuthError('The token restricts access to an empty list of sites (app_id)');
  return ids;
}

const ownerOf = (allowed: readonly string[] | null) => (allowed ? JSON.stringify([...allowed].sort()) : '*');

function view(job: FunnelJob): FunnelJobView {
  const s = job.spec;
  return {
    id: job.id, name: s.name, status: job.status, createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    ...(job.error ? { error: job.error } : {}),
    request: {
      steps: s.steps, windowSeconds: s.windowMs / 1000, dateRange: s.range.local, timezone: s.timezone,
      ...(s.compare ? { compareDateRange: s.compare.local } : {}),
      ...(s.breakdown ? { breakdown: s.breakdown } : {}),
      ...(s.appIds ? { appId: s.appIds } : {}),
    },
    ...(job.result ? {
      dateRange: job.result.dateRange, steps: job.result.steps, medianIsApproximate: job.result.medianIsApproximate,
      ...(job.result.breakdown ? { breakdown: job.result.breakdown } : {}),
      ...(job.result.compare ? { compare: job.result.compare } : {}),
    } : {}),
  };
}

export function createFunnelRoutes(opts: FunnelJobQueueOptions = {}): FunnelRoutes {
  const queue = new FunnelJobQueue(opts);
  const now = opts.now ?? (() => new Date());

  const visible = (job: FunnelJob | undefined, ctx: FunnelRouteContext): job is FunnelJob => {
    if (!job) return false;
    const owner = ownerOf(allowedAppIds(ctx.securityContext));
    return owner === '*' || job.owner === owner;
  };

  return {
    async submit(body, ctx) {
      const spec = normalizeFunnelRequest(body, now());
      const dialect = getFunnelDialect(ctx.dialect);
      const allowed = allowedAppIds(ctx.securityContext);
      if (allowed && spec.appIds?.some((a) => !allowed.includes(a))) {
        throw new AuthError(`This token may not read site(s) ${spec.appIds.filter((a) => !allowed.includes(a)).join(', ')}`);
      }
      const appIds = spec.appIds ?? allowed ?? undefined;
      const job = queue.submit(spec, ownerOf(allowed), (s, signal) => runFunnel(s, { driver: ctx.driver, dialect, eventsTable: ctx.eventsTable }, appIds, signal));
      return view(job);
    },
    async get(params, ctx) {
      const job = queue.get(params.id);
      if (!visible(job, ctx)) throw new NotFound(`No funnel with id '${params.id}'`);
      return view(job);
    },
    async list(_query, ctx) {
      return { funnels: queue.list().filter((j) => (j.status === 'done' || j.status === 'error') && visible(j, ctx)).map(view) };
    },
    idle: () => queue.idle(),
    close: () => queue.close(),
  };
}

/** The process-wide instance the API server mounts. */
export const funnelRoutes: FunnelRoutes = createFunnelRoutes();
export const submitFunnel = funnelRoutes.submit;
export const getFunnel = funnelRoutes.get;
export const listFunnels = funnelRoutes.list;
