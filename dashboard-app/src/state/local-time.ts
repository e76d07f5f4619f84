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

/** The last `minutes` minutes up to now, as a Cube date range in the given zone. */
export function lastMinutes(now: Date, minutes: number, timeZone: string): readonly [string, string] {
  return [localTimestamp(new Date(now.getTime() - minutes * 60_000), timeZone), localTimestamp(now, timeZone)];
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
