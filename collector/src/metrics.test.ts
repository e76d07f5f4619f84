import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectorMetrics } from './metrics.ts';

test('renders counters, store gauges and a cumulative latency histogram', () => {
  const m = new CollectorMetrics();
  m.eventsReceived = 5;
  m.request('tp2', 200);
  m.request('tp2', 200);
  m.ackLatency(0.004);
  m.ackLatency(0.2);
  const text = m.render({ spoolEvents: 7, spoolBytes: 100, filesWritten: 2, eventsWritten: 3, duplicatesDropped: 1, badRows: 0 });
  assert.match(text, /^webcube_collector_requests_total\{route="tp2",status="200"\} 2$/m);
  assert.match(text, /^webcube_collector_events_received_total 5$/m);
  assert.match(text, /^webcube_collector_spool_events 7$/m);
  assert.match(text, /^webcube_collector_files_written_total 2$/m);
  assert.match(text, /^webcube_collector_ack_latency_seconds_bucket\{le="0.005"\} 1$/m);
  assert.match(text, /^webcube_collector_ack_latency_seconds_bucket\{le="0.25"\} 2$/m);
  assert.match(text, /^webcube_collector_ack_latency_seconds_count 2$/m);
});

test('renders the ack pacing counter and backlog gauge when the store has them', () => {
  const m = new CollectorMetrics();
  const base = { spoolEvents: 0, spoolBytes: 0, filesWritten: 0, eventsWritten: 0, duplicatesDropped: 0, badRows: 0 };
  const text = m.render({ ...base, acksPaced: 4, backlogEvents: 250_000 });
  assert.match(text, /^# TYPE webcube_collector_acks_paced_total counter$/m);
  assert.match(text, /^webcube_collector_acks_paced_total 4$/m);
  assert.match(text, /^# TYPE webcube_collector_backlog_events gauge$/m);
  assert.match(text, /^webcube_collector_backlog_events 250000$/m);
  assert.doesNotMatch(m.render(base), /acks_paced|backlog_events/);
});
