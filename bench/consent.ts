// The consent check every tp2 body now passes on the request path (consentChangesInBody), beside
// the envelope check it runs after (tp2EventCount), on the same 25-event bodies in the same run:
// plain bodies (ue_pr, the browser tracker's POST default) and base64 ones (ue_px).
import { performance } from 'node:perf_hooks';
import type { BenchResult } from './run.ts';
import { consentChangesInBody } from '../collector/src/enrich/consent.ts';
import { tp2EventCount } from '../collector/src/http/tp2-event-count.ts';

const SCHEMA = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';
const UE = JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0', data: { schema: 'iglu:com.acme/add_to_cart/jsonschema/1-0-0', data: { sku: 'A-1', qty: 2 } } });
const CX = JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0', data: [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: '5b0f7f2c-7a4e-4a51-9d6a-3c7c1c0d9e01' } }] });

function body(base64: boolean): string {
  const data = Array.from({ length: 25 }, (_, i) => ({
    e: i % 3 === 0 ? 'ue' : 'pv', p: 'web', tv: 'js-4.10.1', aid: 'site', eid: `5b0f7f2c-7a4e-4a51-9d6a-3c7c1c0d9e${String(i).padStart(2, '0')}`,
    url: `https://www.example.com/page/${i}?utm_source=news`, duid: 'a9c5e2b4-1f0d-4c7e-9b1a-2d3e4f5a6b7c', sid: 'b1c2d3e4-5f60-4718-8a9b-0c1d2e3f4a5b',
    dtm: String(1_700_000_000_000 + i), stm: String(1_700_000_000_100 + i),
    ...(i % 3 === 0 ? (base64 ? { ue_px: Buffer.from(UE).toString('base64url') } : { ue_pr: UE }) : {}),
    ...(base64 ? { cx: Buffer.from(CX).toString('base64url') } : { co: CX }),
  }));
  return JSON.stringify({ schema: SCHEMA, data });
}

function perSecond(fn: () => unknown): number {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) { for (let i = 0; i < 200; i++) fn(); n += 200; }
  return n / ((performance.now() - start) / 1000);
}

export async function bench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const base64 of [false, true]) {
    const text = body(base64);
    const envelope = perSecond(() => tp2EventCount(text, 10_000));
    const consent = perSecond(() => consentChangesInBody(text));
    const kind = base64 ? 'base64 ue_px' : 'plain ue_pr';
    results.push({ name: `consent check, 25-event body (${kind})`, value: consent, unit: 'bodies/s', baseline: { name: 'envelope check', value: envelope } });
  }
  return results;
}
