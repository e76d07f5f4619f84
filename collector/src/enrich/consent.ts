// What a consent event means for the events after it. Snowplow's consent plugin sends
// consent_granted and consent_withdrawn; the enhanced consent plugin sends consent_preferences
// with an eventType. A withdrawal (or deny/expiry) means: track without identifiers from here on.
export type ConsentChange = 'grant' | 'withdraw';

const CONSENT_SCHEMA = /^iglu:com\.snowplowanalytics\.snowplow\/(consent_granted|consent_withdrawn|consent_preferences)\/jsonschema\/1-/;
const GRANTING = new Set(['allow_all', 'allow_selected', 'implicit_consent']);
const WITHDRAWING = new Set(['deny', 'withdrawn', 'expired']);

/** The change a self-describing event's payload (`{schema, data}`, the inner one) stands for. */
export function consentChangeOf(schema: unknown, data: unknown): ConsentChange | undefined {
  const m = typeof schema === 'string' ? CONSENT_SCHEMA.exec(schema) : null;
  if (!m) return undefined;
  if (m[1] === 'consent_granted') return 'grant';
  if (m[1] === 'consent_withdrawn') return 'withdraw';
  const type = (data as { eventType?: unknown } | null)?.eventType;
  if (typeof type !== 'string') return undefined;
  return GRANTING.has(type) ? 'grant' : WITHDRAWING.has(type) ? 'withdraw' : undefined;
}

/** The change an unstruct_event envelope's JSON text stands for (only parsed when it names a consent schema). */
export function consentChangeOfJson(unstructJson: string): ConsentChange | undefined {
  if (!unstructJson.includes('consent_')) return undefined;
  try {
    const inner = (JSON.parse(unstructJson) as { data?: { schema?: unknown; data?: unknown } }).data;
    return consentChangeOf(inner?.schema, inner?.data);
  } catch {
    return undefined;
  }
}

/** The change one event's tracker parameters stand for (ue_pr, else base64 ue_px). */
export function consentChangeOfParams(params: Readonly<Record<string, unknown>>): ConsentChange | undefined {
  const pr = params.ue_pr;
  if (typeof pr === 'string') return consentChangeOfJson(pr);
  const px = params.ue_px;
  if (typeof px === 'string') return consentChangeOfJson(Buffer.from(px, 'base64url').toString('utf8'));
  return undefined;
}

const UE_PX = /"ue_px"[ \t\n\r]*:[ \t\n\r]*"([^"]*)"/g;
const MAYBE_CONSENT = /consent_|"ue_px"/;

/** The consent changes in a tp2 body, in order. Called on the request path for every body, so a
 *  body is parsed only when it can hold a consent event: the schema name in plain text (ue_pr),
 *  or in one of its base64 ue_px values. */
export function consentChangesInBody(text: string): ConsentChange[] {
  // One pass for the usual body, which has neither (a regex alternation beats two includes).
  if (!MAYBE_CONSENT.test(text)) return [];
  if (!text.includes('consent_') && !anyEncodedConsent(text)) return [];
  let data: unknown;
  try {
    data = (JSON.parse(text) as { data?: unknown }).data;
  } catch {
    return []; // the envelope check answers for a body that is not JSON
  }
  if (!Array.isArray(data)) return [];
  const changes: ConsentChange[] = [];
  for (const item of data) {
    const change = item && typeof item === 'object' ? consentChangeOfParams(item as Record<string, unknown>) : undefined;
    if (change) changes.push(change);
  }
  return changes;
}

function anyEncodedConsent(text: string): boolean {
  for (const m of text.matchAll(UE_PX)) {
    if (Buffer.from(m[1], 'base64url').includes('consent_')) return true;
  }
  return false;
}

const ANONYMOUS_USER = '00000000-0000-0000-0000-000000000000';

/** A contexts envelope's JSON with the client_session context's user ids cleared, as the tracker
 *  writes them in anonymous mode (userId all zeros, no previousSessionId); other contexts as they were. */
export function withoutSessionUserIds(contextsJson: string): string {
  if (!contextsJson.includes('/client_session/')) return contextsJson;
  const envelope = JSON.parse(contextsJson) as { data?: { schema?: unknown; data?: Record<string, unknown> }[] };
  if (!Array.isArray(envelope.data)) return contextsJson;
  for (const c of envelope.data) {
    if (typeof c?.schema === 'string' && c.schema.startsWith('iglu:com.snowplowanalytics.snowplow/client_session/') && c.data && typeof c.data === 'object') {
      c.data.userId = ANONYMOUS_USER;
      if ('previousSessionId' in c.data) c.data.previousSessionId = null;
    }
  }
  return JSON.stringify(envelope);
}
