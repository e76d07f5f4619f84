// The view (site, dates, comparison, filters, granularity) lives in the URL so a link reproduces it exactly.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  defaultGranularity, isIsoDate, presetRange, previousRange, todayIn,
  type DateRange, type Granularity, type RangePreset, PRESETS,
} from './date-range.ts';

export const FILTER_KEYS = ['country', 'device', 'source', 'page', 'campaign'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type ViewFilters = Readonly<Partial<Record<FilterKey, string>>>;

export type ViewState = Readonly<{
  site: string | null;
  preset: RangePreset;
  range: DateRange;
  previous: DateRange;
  compare: boolean;
  granularity: Granularity;
  granularityExplicit: boolean;
  timezone: string;
  filters: ViewFilters;
}>;

export type ViewPatch = Partial<{
  site: string | null; preset: RangePreset; range: DateRange; compare: boolean;
  granularity: Granularity | null; filters: ViewFilters;
}>;

const GRANULARITIES: readonly Granularity[] = ['hour', 'day', 'week', 'month'];

function browserTimeZone(): string {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'; } catch { return 'UTC'; }
}

function validTimeZone(tz: string | null): tz is string {
  if (!tz) return false;
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return true; } catch { return false; }
}

export function parseViewState(params: URLSearchParams, now: Date = new Date()): ViewState {
  const tzParam = params.get('tz');
  const timezone = validTimeZone(tzParam) ? tzParam : browserTimeZone();
  const rawPreset = params.get('range') as RangePreset | null;
  const preset: RangePreset = PRESETS.some((p) => p.id === rawPreset) ? rawPreset! : '28d';
  const from = params.get('from');
  const to = params.get('to');
  const custom: DateRange | undefined = isIsoDate(from) && isIsoDate(to) && from <= to ? [from, to] : undefined;
  const range = presetRange(preset, todayIn(timezone, now), custom);
  const g = params.get('g') as Granularity | null;
  const granularityExplicit = g !== null && GRANULARITIES.includes(g);
  const filters: Partial<Record<FilterKey, string>> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return Object.freeze({
    site: params.get('site') || null,
    preset,
    range,
    previous: previousRange(range),
    compare: params.get('compare') !== '0',
    granularity: granularityExplicit ? g! : defaultGranularity(range),
    granularityExplicit,
    timezone,
    filters: Object.freeze(filters),
  });
}

/** Applies a patch to the URL's params, leaving unrelated params (page-specific ones) untouched. */
export function applyViewPatch(params: URLSearchParams, patch: ViewPatch): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (k: string, v: string | null | undefined) => (v ? next.set(k, v) : next.delete(k));
  if ('site' in patch) set('site', patch.site);
  if (patch.preset) {
    set('range', patch.preset);
    if (patch.preset !== 'custom') { next.delete('from'); next.delete('to'); }
  }
  if (patch.range) { set('range', 'custom'); set('from', patch.range[0]); set('to', patch.range[1]); }
  if (patch.compare !== undefined) set('compare', patch.compare ? null : '0');
  if (patch.granularity !== undefined) set('g', patch.granularity);
  if (patch.filters) for (const key of FILTER_KEYS) set(key, patch.filters[key]);
  return next;
}

export function useViewState(): [ViewState, (patch: ViewPatch) => void] {
  const [params, setParams] = useSearchParams();
  const view = useMemo(() => parseViewState(params), [params]);
  const update = useCallback(
    (patch: ViewPatch) => setParams((current) => applyViewPatch(current, patch)),
    [setParams],
  );
  return [view, update];
}
