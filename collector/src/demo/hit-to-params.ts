// A planned hit → the flat tp2 parameter map a browser tracker would POST, so history can be
// enriched by the collector's own processTrackerEvent and written through the import path.
import { WEB_PAGE_SCHEMA, type Hit } from './hit.ts';

const CODES = { page_view: 'pv', page_ping: 'pp', struct: 'se', self_describing: 'ue', transaction: 'tr' } as const;

export const DEMO_TRACKER_VERSION = 'js-4.10.1';

export function hitToParams(hit: Hit, namespace = 'demo'): Record<string, string> {
  const p: Record<string, string> = {
    e: CODES[hit.kind], eid: hit.eventId, aid: hit.appId, p: 'web', tv: DEMO_TRACKER_VERSION, tna: namespace,
    dtm: String(hit.time), stm: String(hit.time), ttm: String(hit.time),
    duid: hit.duid, sid: hit.sid, vid: String(hit.vid),
    url: hit.url, page: hit.title, ua: hit.ua, ip: hit.ip, lang: hit.lang, tz: hit.tz, cookie: '1', cs: 'UTF-8',
    res: `${hit.screen[0]}x${hit.screen[1]}`, vp: `${hit.viewport[0]}x${hit.viewport[1]}`, ds: `${hit.viewport[0]}x${hit.docHeight}`,
    co: JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0', data: [{ schema: WEB_PAGE_SCHEMA, data: { id: hit.pageViewId } }] }),
  };
  if (hit.referrer) p.refr = hit.referrer;
  if (hit.uid) p.uid = hit.uid;
  if (hit.scrollY) Object.assign(p, { pp_mix: '0', pp_max: '0', pp_miy: String(hit.scrollY[0]), pp_may: String(hit.scrollY[1]) });
  if (hit.event) p.ue_pr = JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0', data: hit.event });
  if (hit.struct) {
    Object.assign(p, { se_ca: hit.struct.category, se_ac: hit.struct.action });
    if (hit.struct.label !== undefined) p.se_la = hit.struct.label;
    if (hit.struct.value !== undefined) p.se_va = String(hit.struct.value);
  }
  if (hit.transaction) Object.assign(p, { tr_id: hit.transaction.orderId, tr_tt: hit.transaction.total.toFixed(2), tr_cu: hit.transaction.currency });
  return p;
}
