// Date-range presets and the matching previous period, computed as calendar dates in the view's time zone.
export type RangePreset = 'today' | 'yesterday' | '7d' | '28d' | '90d' | 'mtd' | 'lastmonth' | '12m' | 'custom';
export type DateRange = readonly [from: string, to: string];

export const PRESETS: readonly { id: RangePreset; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'yesterday', label: 'Yesterday' },
  { id: '7d', label: 'Last 7 days' },
  { id: '28d', label: 'Last 28 days' },
  { id: '90d', label: 'Last 90 days' },
  { id: 'mtd', label: 'Month to date' },
  { id: 'lastmonth', label: 'Last month' },
  { id: '12m', label: 'Last 12 months' },
  { id: 'custom', label: 'Custom' },
];

const DAY_MS = 86_400_000;

/** Today's calendar date (YYYY-MM-DD) in a time zone; en-CA formats dates as ISO. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

export function isIsoDate(value: string | null | undefined): value is string {
  return !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

/** Ranges include today: a self-hosted collector makes today's data available within seconds. */
export function presetRange(preset: RangePreset, today: string, custom?: DateRange): DateRange {
  switch (preset) {
    case 'today': return [today, today];
    case 'yesterday': return [addDays(today, -1), addDays(today, -1)];
    case '7d': return [addDays(today, -6), today];
    case '28d': return [addDays(today, -27), today];
    case '90d': return [addDays(today, -89), today];
    case 'mtd': return [`${today.slice(0, 8)}01`, today];
    case 'lastmonth': {
      const lastDay = addDays(`${today.slice(0, 8)}01`, -1);
      return [`${lastDay.slice(0, 8)}01`, lastDay];
    }
    case '12m': return [addDays(today, -364), today];
    case 'custom': return custom ?? [addDays(today, -27), today];
  }
}

/** The period of equal length that ends the day before `range` starts. */
export function previousRange([from, to]: DateRange): DateRange {
  const days = daysBetween(from, to);
  return [addDays(from, -days), addDays(from, -1)];
}

export type Granularity = 'hour' | 'day' | 'week' | 'month';

export function defaultGranularity([from, to]: DateRange): Granularity {
  const days = daysBetween(from, to);
  if (days <= 2) return 'hour';
  if (days <= 92) return 'day';
  if (days <= 400) return 'week';
  return 'month';
}

export function formatRange([from, to]: DateRange): string {
  const fmt = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  return from === to ? fmt(from) : `${fmt(from)} – ${fmt(to)}`;
}
