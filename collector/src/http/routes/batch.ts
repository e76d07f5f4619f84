// POST /events/batch: the JSON batch API for servers and devices without a Snowplow tracker.
// Answers {accepted, failed, batch_id, errors}; 4xx only for a body that can never succeed.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, unauthorized } from '../../errors.ts';
import { makeBadRow, type BadRow } from '../../protocol/bad-row.ts';
import { BATCH_MAX_BYTES, batchBodySchema, batchEventSchema, batchEventToParams, batchTimestamp } from '../../protocol/batch-events.ts';
import { jsonTooDeep } from '../../protocol/json-depth.ts';
import { isJsonContentType } from '../../protocol/parse-tp2.ts';
import { uuidFromText } from '../../enrich/fingerprint.ts';
import { requestMeta, type CollectorDeps } from '../collector-deps.ts';
import { appendOrOverload } from '../ingest.ts';
import { processRequestEvent, RequestEnrichment } from '../../process-event.ts';
import type { AtomicEvent } from '../../atomic/columns.ts';
import { withBody } from '../receive-body.ts';
import { send } from '../respond.ts';

function checkToken(req: IncomingMessage, token: string | undefined): void {
  if (!token) return;
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const want = Buffer.from(token);
  if (given.length !== want.length || !timingSafeEqual(given, want)) throw unauthorized('a valid Authorization: Bearer token is required');
}

export async function handleBatch(req: IncomingMessage, res: ServerResponse, deps: CollectorDeps): Promise<void> {
  checkToken(req, deps.config.batchToken);
  if (!isJsonContentType(req.headers['content-type'])) throw badRequest('content type must be application/json');
  await withBody(req, res, deps, Math.min(BATCH_MAX_BYTES, deps.config.maxBodyBytes), 'batch', async (body) => {
    const now = Date.now();
    const text = body.toString('utf8').replace(/^\uFEFF/, '');
    // Before parsing: properties nesting past the limit would overflow the stack when serialised (issue #18).
    const tooDeep = jsonTooDeep(text, deps.ctx.options.maxJsonDepth, 'body');
    if (tooDeep) throw badRequest(tooDeep);
    let json: unknown;
    try { json = JSON.parse(text); } catch { throw badRequest('body is not valid JSON'); }
    const parsedBody = batchBodySchema.safeParse(json);
    if (!parsedBody.success) {
      const issue = parsedBody.error.issues[0];
      throw badRequest(`${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const request = new RequestEnrichment(requestMeta(req, deps, 'batch', undefined, now), deps.ctx);
    const good: AtomicEvent[] = [];
    const ids: string[] = [];
    const bad: BadRow[] = [];
    const errors: { index: number; reason: string }[] = [];
    for (const [index, raw] of parsedBody.data.events.entries()) {
      const e = batchEventSchema.safeParse(raw);
      const ms = e.success ? batchTimestamp(e.data.timestamp) : undefined;
      const reason = !e.success ? `${e.error.issues[0].path.join('.') || 'event'}: ${e.error.issues[0].message}` : typeof ms === 'string' ? ms : undefined;
      if (reason !== undefined || !e.success) {
        errors.push({ index, reason: reason ?? 'invalid event' });
        bad.push(makeBadRow(JSON.stringify(raw) ?? 'undefined', `schema_violation: event #${index} ${reason}`, now, 'batch'));
        continue;
      }
      const p = batchEventToParams(e.data, parsedBody.data.app_id, ms as number);
      ids.push(p.eid);
      const r = processRequestEvent(p, request);
      if (r.event) good.push(r.event);
      else if (r.bad) {
        errors.push({ index, reason: r.bad.reason });
        bad.push(r.bad);
      }
    }
    deps.metrics.eventsReceived += parsedBody.data.events.length;
    await appendOrOverload(deps.store, good, bad, deps.metrics);
    deps.metrics.eventsAccepted += good.length;
    deps.metrics.eventsBad += bad.length;
    // The same events give the same batch_id, so a client can recognise a retried batch.
    const batchId = uuidFromText(`batch/${ids.sort().join(',')}`);
    const answer = { accepted: good.length, failed: bad.length, batch_id: batchId, ...(errors.length ? { errors } : {}) };
    send(req, res, 200, JSON.stringify(answer), 'application/json');
  });
}
