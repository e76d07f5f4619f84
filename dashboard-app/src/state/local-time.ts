// Wall-clock timestamps in a time zone, in Cube's local format (YYYY-MM-DDTHH:mm:ss.SSS, no zone; cube.md §3).
import { useEffect, useState } from 'react';

export function localTimestamp(date: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    }).formatToParts(date).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.000`;
}

/**
 * The current minute and the `minutes - 1` before it, as a Cube date range in the given zone.
 * Whole minutes let the per-minute realtime rollups answer exactly (a range cut mid-minute
 * would need raw events), as GA's realtime report counts them.
 */
export function lastMinutes(now: Date, minutes: number, timeZone: string): readonly [string, string] {
  const minute = Math.floor(now.getTime() / 60_000) * 60_000;
  const from = localTimestamp(new Date(minute - (minutes - 1) * 60_000), timeZone);
  const to = localTimestamp(new Date(minute), timeZone).replace(/00\.000$/, '59.999');
  return [from, to];
}

/** The current time, refreshed every `intervalMs`; drives the realtime page's re-queries. */
export function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = window.setInterval(() => setNow(new Date()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}
