// One line of Snowplow enriched TSV (131 fields in atomic column order, empty = NULL,
// timestamps as 'yyyy-MM-dd HH:mm:ss.SSS' UTC) → an AtomicEvent, or the reason it is bad.
import { atomicColumns, type AtomicEvent } from '../atomic/columns.ts';

export const ENRICHED_TSV_FIELDS = 131;
const tsvColumns = atomicColumns.slice(0, ENRICHED_TSV_FIELDS);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseTimestamp(v: string): number {
  // Snowplow writes UTC without a zone; Date.parse would read it as local time.
  const iso = v.includes('T') ? v : v.replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso : `${iso}Z`);
}

export function tsvToEvent(line: string): { event: AtomicEvent } | { reason: string } {
  const fields = line.split('\t');
  if (fields.length !== ENRICHED_TSV_FIELDS) return { reason: `enriched TSV line has ${fields.length} fields, expected ${ENRICHED_TSV_FIELDS}` };
  const event: Record<string, string | number | boolean> = {};
  for (let i = 0; i < ENRICHED_TSV_FIELDS; i++) {
    const v = fields[i]!;
    if (v === '') continue;
    const col = tsvColumns[i]!;
    switch (col.type) {
      case 'VARCHAR': event[col.name] = v; break;
      case 'TIMESTAMP': {
        const ms = parseTimestamp(v);
        if (Number.isNaN(ms)) return { reason: `${col.name}: not a timestamp: ${v.slice(0, 40)}` };
        event[col.name] = ms;
        break;
      }
      case 'BOOLEAN': event[col.name] = v === '1' || v === 'true'; break;
      default: {
        const n = Number(v);
        if (!Number.isFinite(n)) return { reason: `${col.name}: not a number: ${v.slice(0, 40)}` };
        event[col.name] = n;
      }
    }
  }
  if (typeof event.event_id !== 'string' || !UUID.test(event.event_id)) return { reason: 'event_id: missing or not a UUID' };
  if (typeof event.collector_tstamp !== 'number') return { reason: 'collector_tstamp: missing' };
  event.event_id = event.event_id.toLowerCase();
  return { event };
}
