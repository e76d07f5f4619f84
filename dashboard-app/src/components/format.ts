// Number, percent, duration and date formatting shared by every report.
export type ValueFormat = 'number' | 'percent' | 'duration' | 'decimal';

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** Rates from the model are fractions (0..1); a value above 1 is taken as already in percent. */
export function formatValue(value: number, format: ValueFormat = 'number', short = false): string {
  switch (format) {
    case 'percent': return `${(value > 1 ? value : value * 100).toFixed(1)}%`;
    case 'duration': return formatDuration(value);
    case 'decimal': return decimal.format(value);
    default: return short && Math.abs(value) >= 10_000 ? compact.format(value) : whole.format(value);
  }
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Relative change, or null when there is nothing to compare against. */
export function change(current: number, previous: number | undefined): number | null {
  if (previous === undefined) return null;
  if (previous === 0) return current === 0 ? 0 : null;
  return (current - previous) / previous;
}

/**
 * A time bucket from Cube (`YYYY-MM-DDTHH:mm:ss.SSS`, wall time in the query's zone, no zone
 * suffix: read as such, never shifted) in the viewer's locale, as precise as its granularity.
 * `full` adds the year to day/week/hour buckets (tables); axes stay short.
 */
export function formatBucket(x: string, granularity: string | undefined, full = false, locale?: string): string {
  const d = new Date(`${x.slice(0, 19)}Z`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(x) || Number.isNaN(d.getTime())) return x;
  const opts: Intl.DateTimeFormatOptions = { timeZone: 'UTC' };
  switch (granularity) {
    case 'year': return String(d.getUTCFullYear());
    case 'quarter': return `Q${Math.floor(d.getUTCMonth() / 3) + 1} ${d.getUTCFullYear()}`;
    case 'month': Object.assign(opts, { month: 'short', year: 'numeric' }); break;
    case 'week': case 'day': Object.assign(opts, { month: 'short', day: 'numeric', ...(full ? { year: 'numeric' } : {}) }); break;
    case 'minute': Object.assign(opts, { hour: '2-digit', minute: '2-digit', ...(full ? { month: 'short', day: 'numeric', year: 'numeric' } : {}) }); break;
    case 'hour': Object.assign(opts, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', ...(full ? { year: 'numeric' } : {}) }); break;
    default: Object.assign(opts, { dateStyle: 'medium', timeStyle: 'medium' });
  }
  return d.toLocaleString(locale, opts);
}
