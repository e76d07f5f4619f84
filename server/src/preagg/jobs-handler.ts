// Cube's `POST /cubejs-api/v1/pre-aggregations/jobs` logic (gateway.preAggregationsJobs): `post`
// plans the selected pre-aggregations' partitions and queues their builds, answering one token
// per partition; `get` reports each token's status (`scheduled`, `processing`, `done`,
// `failure: …`, `not_found`). The API engineer mounts it (scope `jobs`).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UserError } from '../errors.ts';
import type { PreAggregations } from './pre-aggregations.ts';
import type { QueuedJob } from './build-queue.ts';
import type { BuildRecord } from './build-log.ts';
import { formatLocal, parseLocal } from './time.ts';

const selectorSchema = z.object({
  contexts: z.array(z.object({ securityContext: z.record(z.string(), z.unknown()).optional() }).passthrough()).min(1),
  timezones: z.array(z.string()).min(1),
  dataSources: z.array(z.string()).optional(),
  cubes: z.array(z.string()).optional(),
  preAggregations: z.array(z.string()).optional(),
  dateRange: z.tuple([z.string(), z.string()]).optional(),
});

const requestSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('post'), selector: selectorSchema }),
  z.object({ action: z.literal('get'), tokens: z.array(z.string()).min(1), resType: z.enum(['array', 'object']).optional() }),
]);

interface JobEntry {
  readonly preAgg: string;
  readonly timezone: string;
  readonly table: string;
  readonly context: unknown;
  readonly dataSource: string;
  readonly job?: QueuedJob<BuildRecord>;
}

export interface JobStatusItem { token: string; table?: string; status: string; selector?: unknown }

/** Selector date ranges are local times (a trailing Z is tolerated); a date-only end means its whole day. */
function localRange(r: readonly [string, string]): readonly [string, string] {
  try {
    const end = /^\d{4}-\d{2}-\d{2}$/.test(r[1]) ? `${r[1]}T23:59:59.999` : formatLocal(parseLocal(r[1]));
    return [formatLocal(parseLocal(r[0])), end];
  } catch {
    throw new UserError(`Cannot parse selector date range ${r.join(',')}`);
  }
}

export function createJobsHandler(preAggs: PreAggregations, o: { maxJobs?: number } = {}) {
  const jobs = new Map<string, JobEntry>();
  const maxJobs = o.maxJobs ?? 10000;

  function remember(token: string, e: JobEntry) {
    jobs.set(token, e);
    // Oldest tokens go first once the table is full; Cube keeps them in a cache with a TTL too.
    while (jobs.size > maxJobs) jobs.delete(jobs.keys().next().value!);
  }

  async function post(sel: z.infer<typeof selectorSchema>): Promise<string[]> {
    const dateRange = sel.dateRange ? localRange(sel.dateRange) : undefined;
    const planned = await preAggs.plan({
      preAggregations: sel.preAggregations, cubes: sel.cubes, timezones: sel.timezones, dateRange, includeCurrent: true,
    });
    const tokens: string[] = [];
    for (const context of sel.contexts) {
      for (const p of planned) {
        const token = createHash('md5').update(`${p.key}|${JSON.stringify(context)}|${Date.now()}|${Math.random()}`).digest('hex');
        const job = p.plan.reason ? preAggs.build(p) : undefined;
        remember(token, {
          preAgg: p.preAgg.path, timezone: p.timezone, context, dataSource: 'default', job,
          table: p.plan.current ? `${preAggs.buildLog.schema}.${p.plan.current.tableName}` : '',
        });
        tokens.push(token);
      }
    }
    return tokens;
  }

  function get(tokens: readonly string[], resType: 'array' | 'object' = 'array') {
    const items: JobStatusItem[] = tokens.map((token) => {
      const e = jobs.get(token);
      if (!e) return { token, status: 'not_found' };
      const status = e.job ? e.job.status : 'done';
      const table = e.job?.result ? `${preAggs.buildLog.schema}.${e.job.result.tableName}` : e.table;
      return {
        token, table, status,
        selector: { cubes: [e.preAgg.split('.')[0]], preAggregations: [e.preAgg], contexts: [e.context], timezones: [e.timezone], dataSources: [e.dataSource] },
      };
    });
    if (resType === 'object') return Object.fromEntries(items.map(({ token, ...rest }) => [token, rest]));
    return items;
  }

  return async function handle(body: unknown): Promise<unknown> {
    if (!body || typeof body !== 'object' || Object.keys(body).length === 0) throw new UserError('No job description provided');
    const action = (body as { action?: unknown }).action;
    if (action !== 'post' && action !== 'get') throw new UserError(`The '${String(action)}' action type doesn't supported.`);
    const parsed = requestSchema.safeParse(body);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new UserError(`Invalid Job query format: "${i.path.join('.')}" ${i.message}`);
    }
    const q = parsed.data;
    if (q.action === 'get') return get(q.tokens, q.resType);
    const tokens = await post(q.selector);
    if (tokens.length === 0) {
      throw new UserError('A user\'s selector doesn\'t match any of the pre-aggregations defined in the data model.');
    }
    return tokens;
  };
}
