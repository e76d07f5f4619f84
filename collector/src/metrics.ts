// Collector metrics in the Prometheus text format (counters, gauges from the store, and the
// ack-latency histogram): plain numbers in hot paths, formatted only when /metrics is scraped.
// tp2 events are validated and enriched after the spool, so their accepted/bad counts come from
// the store once a flush has enriched them; received counts them at the ack.
export interface StoreGauges {
  readonly spoolEvents: number; readonly spoolBytes: number; readonly filesWritten: number;
  readonly eventsWritten: number; readonly duplicatesDropped: number; readonly badRows: number;
  readonly eventsEnrichedGood?: number; readonly eventsEnrichedBad?: number;
  /** Ack pacing (storage/ack-pacing.ts): acks held so far, and events spooled but not yet enriched. */
  readonly acksPaced?: number; readonly backlogEvents?: number;
}

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class CollectorMetrics {
  eventsReceived = 0;
  eventsAccepted = 0;
  eventsBad = 0;
  rejectedOverload = 0;
  inflightBytes = 0;
  /** Route → status → count: no label string is built per request. */
  private readonly requests = new Map<string, Map<number, number>>();
  private readonly latencyCounts = new Array<number>(BUCKETS.length).fill(0);
  private latencyCount = 0;
  private latencySum = 0;

  request(route: string, status: number): void {
    let byStatus = this.requests.get(route);
    if (!byStatus) this.requests.set(route, byStatus = new Map());
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  /** Time from the request's first byte to the ack, after fsync. */
  ackLatency(seconds: number): void {
    this.latencyCount += 1;
    this.latencySum += seconds;
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]) this.latencyCounts[i] += 1;
  }

  render(store: StoreGauges | undefined): string {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, lines: string[]) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    };
    const one = (name: string, type: string, help: string, value: number) => metric(name, type, help, [`${name} ${value}`]);
    metric('webcube_collector_requests_total', 'counter', 'HTTP requests by route and status.',
      [...this.requests].flatMap(([route, byStatus]) => [...byStatus].map(([status, n]) => `webcube_collector_requests_total{route="${route}",status="${status}"} ${n}`)));
    one('webcube_collector_events_received_total', 'counter', 'Events received (good and bad).', this.eventsReceived);
    one('webcube_collector_events_accepted_total', 'counter', 'Events validated and enriched as good (tp2: counted at flush, after the spool).',
      this.eventsAccepted + (store?.eventsEnrichedGood ?? 0));
    one('webcube_collector_events_bad_total', 'counter', 'Events and payloads written as bad rows (tp2 events: counted at flush).',
      this.eventsBad + (store?.eventsEnrichedBad ?? 0));
    one('webcube_collector_rejected_overload_total', 'counter', 'Requests answered 503 because the spool, disk or memory was full.', this.rejectedOverload);
    one('webcube_collector_inflight_bytes', 'gauge', 'Request body bytes being processed.', this.inflightBytes);
    if (store) {
      one('webcube_collector_spool_events', 'gauge', 'Events in the spool not yet written to Parquet.', store.spoolEvents);
      one('webcube_collector_spool_bytes', 'gauge', 'Bytes in the spool.', store.spoolBytes);
      one('webcube_collector_files_written_total', 'counter', 'Parquet files written.', store.filesWritten);
      one('webcube_collector_events_written_total', 'counter', 'Events written to Parquet.', store.eventsWritten);
      one('webcube_collector_duplicates_dropped_total', 'counter', 'Events dropped as duplicates by event_id.', store.duplicatesDropped);
      one('webcube_collector_bad_rows_written_total', 'counter', 'Bad rows written by the store.', store.badRows);
      if (store.backlogEvents !== undefined) {
        one('webcube_collector_backlog_events', 'gauge', 'Raw events spooled but not yet read by enrichment (approximate).', store.backlogEvents);
      }
      if (store.acksPaced !== undefined) {
        one('webcube_collector_acks_paced_total', 'counter', 'Acks held back because the enrichment backlog was over COLLECTOR_BACKLOG_MAX_EVENTS.', store.acksPaced);
      }
    }
    const h = 'webcube_collector_ack_latency_seconds';
    metric(h, 'histogram', 'Time from request to acknowledgement (after fsync).', [
      ...BUCKETS.map((b, i) => `${h}_bucket{le="${b}"} ${this.latencyCounts[i]}`),
      `${h}_bucket{le="+Inf"} ${this.latencyCount}`, `${h}_sum ${this.latencySum}`, `${h}_count ${this.latencyCount}`,
    ]);
    return `${out.join('\n')}\n`;
  }
}
