// Sends planned hits through the official @snowplow/node-tracker to a running collector, so the
// demo exercises the real protocol end to end. Each hit carries its own time as both dtm (the
// device clock) and ttm (true_tstamp), which makes derived_tstamp exactly the planned time.
import {
  buildEcommerceTransaction, buildPagePing, buildPageView, buildSelfDescribingEvent, buildStructEvent,
  newTracker, type PayloadBuilder, type Tracker,
} from '@snowplow/node-tracker';
import { WEB_PAGE_SCHEMA, type Hit } from './hit.ts';

export interface LiveSender {
  send(hit: Hit): void;
  /** Waits until every buffered event was posted (the emitter retries failures itself). */
  flush(): Promise<void>;
  readonly stats: { readonly posted: number; readonly failed: number };
}

type NodeTracker = ReturnType<typeof newTracker>;

export function createLiveSender(collectorUrl: string, options: { bufferSize?: number; namespace?: string } = {}): LiveSender {
  const stats = { posted: 0, failed: 0 };
  let sent = 0;
  const trackers = new Map<string, NodeTracker>();
  let current: Hit | undefined;

  const trackerFor = (appId: string): NodeTracker => {
    let t = trackers.get(appId);
    if (t) return t;
    t = newTracker({ namespace: options.namespace ?? 'demo', appId, encodeBase64: false }, {
      endpoint: collectorUrl.replace(/\/+$/, ''),
      bufferSize: options.bufferSize ?? 50,
      onRequestSuccess: (payloads) => { stats.posted += payloads.length; },
      onRequestFailure: (failure) => { if (!failure.willRetry) stats.failed += failure.events.length; },
    });
    t.setPlatform('web');
    // The node tracker has no setter for ttm or the document size: add them per event.
    t.addPlugin({ plugin: { beforeTrack: (pb: PayloadBuilder) => {
      if (!current) return;
      pb.add('ttm', String(current.time));
      pb.add('ds', `${current.viewport[0]}x${current.docHeight}`);
    } } });
    trackers.set(appId, t);
    return t;
  };

  const send = (hit: Hit): void => {
    const t = trackerFor(hit.appId);
    current = hit;
    t.setDomainUserId(hit.duid);
    t.setSessionId(hit.sid);
    t.setSessionIndex(hit.vid);
    t.setUserId(hit.uid as string);
    t.setIpAddress(hit.ip);
    t.setUseragent(hit.ua);
    t.setLang(hit.lang);
    t.setTimezone(hit.tz);
    t.setScreenResolution(String(hit.screen[0]), String(hit.screen[1]));
    t.setViewport(String(hit.viewport[0]), String(hit.viewport[1]));
    const context = [{ schema: WEB_PAGE_SCHEMA, data: { id: hit.pageViewId } }];
    const page = { pageUrl: hit.url, pageTitle: hit.title, referrer: hit.referrer };
    let pb: PayloadBuilder;
    switch (hit.kind) {
      case 'page_view': pb = buildPageView(page); break;
      case 'page_ping': pb = buildPagePing({ ...page, minXOffset: 0, maxXOffset: 0, minYOffset: hit.scrollY?.[0] ?? 0, maxYOffset: hit.scrollY?.[1] ?? 0 }); break;
      case 'struct': pb = buildStructEvent({ category: hit.struct!.category, action: hit.struct!.action, label: hit.struct!.label, value: hit.struct!.value }); break;
      case 'self_describing': pb = buildSelfDescribingEvent({ event: { schema: hit.event!.schema, data: { ...hit.event!.data } } }); break;
      case 'transaction': pb = buildEcommerceTransaction({ orderId: hit.transaction!.orderId, total: hit.transaction!.total, currency: hit.transaction!.currency }); break;
    }
    // Self-describing and ping payloads carry no url: browsers add it to every event.
    pb.add('url', hit.url);
    pb.add('page', hit.title);
    if (hit.referrer) pb.add('refr', hit.referrer);
    (t as Tracker).track(pb, context, { type: 'dtm', value: hit.time });
    current = undefined;
    sent++;
  };

  return {
    send,
    // The emitter's flush returns early while a request is in flight, leaving the rest of the
    // buffer behind: flush until every tracked event was acknowledged or given up on.
    async flush() {
      const deadline = Date.now() + 60_000;
      while (stats.posted + stats.failed < sent && Date.now() < deadline) {
        await Promise.all([...trackers.values()].map((t) => t.flush()));
        if (stats.posted + stats.failed < sent) await new Promise((r) => setTimeout(r, 20));
      }
    },
    stats,
  };
}
