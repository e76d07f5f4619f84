// POST /webcube-api/v1/forget {"userId"|"domainUserid"|"networkUserid": "…"}: erasure of one
// person (GDPR Art. 17) over the API, for tokens with the admin scope only (a `scope` claim with
// webcube:admin, or contextToApiScopes): site tokens never have it. The work is `webcube
// forget`'s; the refresh worker rebuilds the affected pre-aggregation partitions on its next pass.
import type { FastifyInstance } from 'fastify';
import { loadLifecycleConfig, runForget, type ForgetTarget } from '@webcube/collector';
import { UserError } from '../errors.ts';
import type { ContextFactory } from './request-context.ts';

export const FORGET_PATH = '/webcube-api/v1/forget';

const FIELDS = { userId: 'user_id', domainUserid: 'domain_userid', networkUserid: 'network_userid' } as const;

export function forgetTarget(body: unknown): ForgetTarget {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new UserError('Expected a JSON object with one of userId, domainUserid, networkUserid');
  const entries = Object.entries(body as Record<string, unknown>);
  const unknown = entries.find(([k]) => !(k in FIELDS));
  if (unknown) throw new UserError(`Unknown field ${JSON.stringify(unknown[0])}: give one of userId, domainUserid, networkUserid`);
  if (entries.length !== 1) throw new UserError('Give exactly one of userId, domainUserid, networkUserid');
  const [key, value] = entries[0]!;
  if (typeof value !== 'string' || value === '' || value.length > 1024) throw new UserError(`${key} must be a non-empty string`);
  return { column: FIELDS[key as keyof typeof FIELDS], value };
}

export function registerForgetRoute(app: FastifyInstance, deps: { contexts: ContextFactory; env: Record<string, string | undefined>; log: (m: string) => void }): void {
  const configured = loadLifecycleConfig(deps.env).auditSalt !== undefined;
  app.post(FORGET_PATH, async (req, reply) => {
    await deps.contexts(req, 'admin');
    const target = forgetTarget(req.body);
    if (!configured) {
      reply.code(501);
      return { error: 'Erasure is not configured on this server: set WEBCUBE_AUDIT_SALT (the audit log records erasures as an HMAC with it)' };
    }
    const report = await runForget(deps.env, target);
    report.cleanup.catch((e: unknown) => deps.log(`forget ${report.subject}: deleting replaced files failed (the next compaction retries): ${(e as Error).message}`));
    return { subject: report.subject, removed: report.removed, totalRows: report.totalRows, days: report.days, audit: report.auditKey, preAggregations: report.days.length ? 'rebuild queued' : 'unchanged' };
  });
}
