// Runs a funnel on the event engine and shapes per-step results: users entering each step (those
// who completed the previous one), completing it, conversion from the previous and the first
// step, and the median seconds from the previous step.
import type { Driver, Row } from '../drivers/types.ts';
import { buildFunnelSql } from './funnel-sql.ts';
import type { FunnelDialect } from './funnel-dialect.ts';
import type { FunnelSpec, UtcRange } from './funnel-request.ts';

export interface FunnelStepResult {
  readonly name: string;
  readonly entered: number;
  readonly completed: number;
  readonly conversionFromPrevious: number;
  readonly conversionFromFirst: number;
  readonly medianSecondsToConvert: number | null;
}

export interface FunnelBreakdownItem { readonly value: string | null; readonly steps: readonly FunnelStepResult[] }

export interface FunnelRangeResult {
  readonly dateRange: readonly [string, string];
  readonly steps: readonly FunnelStepResult[];
  readonly breakdown?: readonly FunnelBreakdownItem[];
}

export interface FunnelResult extends FunnelRangeResult {
  readonly compare?: FunnelRangeResult;
  readonly medianIsApproximate: boolean;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);

function stepsOf(spec: FunnelSpec, row: Row | undefined): FunnelStepResult[] {
  const counts = spec.steps.map((_, i) => num(row?.[`c${i + 1}`]));
  return spec.steps.map((step, i) => ({
    name: step.name,
    entered: i === 0 ? counts[0] : counts[i - 1],
    completed: counts[i],
    conversionFromPrevious: i === 0 ? (counts[0] > 0 ? 1 : 0) : ratio(counts[i], counts[i - 1]),
    conversionFromFirst: ratio(counts[i], counts[0]),
    medianSecondsToConvert: i === 0 || row?.[`d${i + 1}`] === null || row?.[`d${i + 1}`] === undefined ? null : Number(row[`d${i + 1}`]),
  }));
}

/** Where the funnel reads: the engine, its dialect and the events table's name there. */
export interface FunnelSource { readonly driver: Driver; readonly dialect: FunnelDialect; readonly eventsTable?: string }

async function runRange(spec: FunnelSpec, range: UtcRange, source: FunnelSource, appIds: readonly string[] | undefined, signal?: AbortSignal): Promise<FunnelRangeResult> {
  const { driver, dialect: d } = source;
  const { sql, params } = buildFunnelSql(spec, range, d, appIds, source.eventsTable);
  const rows = await driver.query(sql, params, { signal });
  const dateRange = range.local;
  if (!spec.breakdown) return { dateRange, steps: stepsOf(spec, rows[0]) };
  const total = rows.find((r) => num(r.is_total) === 1);
  const breakdown = rows.filter((r) => num(r.is_total) !== 1)
    .map((r) => ({ value: r.b === null || r.b === undefined ? null : String(r.b), steps: stepsOf(spec, r) }))
    .sort((a, b) => b.steps[0].completed - a.steps[0].completed || String(a.value).localeCompare(String(b.value)));
  return { dateRange, steps: stepsOf(spec, total), breakdown };
}

/** Runs the funnel (and its comparison range) with the tenant's app ids already applied. */
export async function runFunnel(spec: FunnelSpec, source: FunnelSource, appIds?: readonly string[], signal?: AbortSignal): Promise<FunnelResult> {
  const main = await runRange(spec, spec.range, source, appIds, signal);
  const compare = spec.compare ? await runRange(spec, spec.compare, source, appIds, signal) : undefined;
  return { ...main, ...(compare ? { compare } : {}), medianIsApproximate: source.dialect.funnel.medianIsApproximate };
}
