// Calendar arithmetic on wall-time values (epoch ms read as UTC fields), the way moment's
// startOf/endOf/add behave: ISO weeks start on Monday, quarters on Jan/Apr/Jul/Oct.
import type { StandardGranularity } from './types.ts';

export function startOf(ms: number, unit: StandardGranularity): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear(), mo = d.getUTCMonth(), day = d.getUTCDate();
  switch (unit) {
    case 'second': return Math.floor(ms / 1000) * 1000;
    case 'minute': return Math.floor(ms / 60_000) * 60_000;
    case 'hour': return Math.floor(ms / 3_600_000) * 3_600_000;
    case 'day': return Date.UTC(y, mo, day);
    case 'week': return Date.UTC(y, mo, day - ((d.getUTCDay() + 6) % 7));
    case 'month': return Date.UTC(y, mo, 1);
    case 'quarter': return Date.UTC(y, mo - (mo % 3), 1);
    case 'year': return Date.UTC(y, 0, 1);
  }
}

export function add(ms: number, n: number, unit: StandardGranularity): number {
  const fixed = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as const;
  if (unit in fixed) return ms + n * fixed[unit as keyof typeof fixed];
  const months = unit === 'month' ? n : unit === 'quarter' ? 3 * n : 12 * n;
  const d = new Date(ms);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

export function endOf(ms: number, unit: StandardGranularity): number {
  return add(startOf(ms, unit), 1, unit) - 1;
}
