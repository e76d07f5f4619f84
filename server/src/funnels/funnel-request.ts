// The funnel request: validated with zod, then normalised to a FunnelSpec (UTC bounds, window in
// ms, known columns only). Errors are UserErrors with a message naming the bad field.
import { z } from 'zod';
import { UserError } from '../errors.ts';
import { parseDateRange } from '../query/date-range.ts';
import { isValidTimeZone, localToUtc } from '../query/time-zone.ts';
import { funnelColumns } from './funnel-columns.ts';

export const FUNNEL_OPERATORS = ['equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'endsWith', 'gt', 'gte', 'lt', 'lte', 'set', 'notSet'] as const;
export type FunnelOperator = (typeof FUNNEL_OPERATORS)[number];

const value = z.union([z.string().max(1000), z.number().finite(), z.boolean()]).transform(String);
const filterSchema = z.object({
  member: z.string().max(100).optional(),
  property: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'a property name is letters, digits and _').optional(),
  operator: z.enum(FUNNEL_OPERATORS),
  values: z.array(value).max(100).default([]),
}).strict();
const stepSchema = z.object({
  name: z.string().max(200).optional(),
  event: z.string().min(1).max(1000).optional(),
  page: z.string().min(1).max(2000).optional(),
  filters: z.array(filterSchema).max(20).default([]),
}).strict();
const rangeSchema = z.union([z.string().max(100), z.array(z.string().max(40)).min(1).max(2)]);

export const funnelRequestSchema = z.object({
  name: z.string().max(200).optional(),
  steps: z.array(stepSchema).min(2, 'a funnel needs at least 2 steps').max(10, 'a funnel has at most 10 steps'),
  window: z.union([z.string().max(40), z.number().positive()]).optional(),
  windowSeconds: z.number().positive().optional(),
  dateRange: rangeSchema,
  compareDateRange: rangeSchema.optional(),
  timezone: z.string().max(64).default('UTC'),
  breakdown: z.string().max(100).optional(),
  appId: z.union([z.string().min(1).max(255), z.array(z.string().min(1).max(255)).min(1).max(100)]).optional(),
}).strict();

export type FunnelRequest = z.input<typeof funnelRequestSchema>;

export interface StepFilter { readonly column?: string; readonly property?: string; readonly operator: FunnelOperator; readonly values: readonly string[] }
export interface StepSpec { readonly name: string; readonly event?: string; readonly page?: string; readonly filters: readonly StepFilter[] }
export interface UtcRange { readonly local: readonly [string, string]; readonly from: string; readonly to: string }

export interface FunnelSpec {
  readonly name: string;
  readonly steps: readonly StepSpec[];
  readonly windowMs: number;
  readonly timezone: string;
  readonly range: UtcRange;
  readonly compare?: UtcRange;
  readonly breakdown?: string;
  readonly appIds?: readonly string[];
}

const MAX_WINDOW_MS = 366 * 86_400_000;
const UNITS: Record<string, number> = { second: 1e3, minute: 6e4, hour: 3.6e6, day: 8.64e7, week: 6.048e8 };

export function parseWindowMs(window: string | number | undefined, seconds: number | undefined): number {
  if (seconds !== undefined) return Math.round(seconds * 1000);
  if (window === undefined) return 86_400_000;
  if (typeof window === 'number') return Math.round(window * 1000);
  const m = /^\s*(\d+(?:\.\d+)?)\s*(second|minute|hour|day|week)s?\s*$/i.exec(window);
  if (!m) throw new UserError(`window: expected e.g. '30 minutes', '1 hour' or '7 days', got '${window}'`);
  return Math.round(Number(m[1]) * UNITS[m[2].toLowerCase()]);
}

function toUtcRange(range: string | string[], timezone: string, now: Date): UtcRange {
  const local = parseDateRange(range, timezone, now);
  return { local: [local[0], local[1]], from: localToUtc(local[0], timezone), to: localToUtc(local[1], timezone) };
}

export function normalizeFunnelRequest(raw: unknown, now: Date = new Date()): FunnelSpec {
  const parsed = funnelRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`Invalid funnel: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const body = parsed.data;
  if (!isValidTimeZone(body.timezone)) throw new UserError(`Invalid funnel: timezone: unknown time zone '${body.timezone}'`);
  const steps = body.steps.map((s, i): StepSpec => {
    if ((s.event === undefined) === (s.page === undefined)) throw new UserError(`Invalid funnel: steps.${i}: give exactly one of 'event' or 'page'`);
    const filters = s.filters.map((f, j): StepFilter => {
      const where = `steps.${i}.filters.${j}`;
      if ((f.member === undefined) === (f.property === undefined)) throw new UserError(`Invalid funnel: ${where}: give exactly one of 'member' or 'property'`);
      const column = f.member?.replace(/^events\./, '');
      if (column !== undefined && !(column in funnelColumns)) {
        throw new UserError(`Invalid funnel: ${where}.member: unknown member '${f.member}'. Known: ${Object.keys(funnelColumns).join(', ')}`);
      }
      if (!['set', 'notSet'].includes(f.operator) && f.values.length === 0) throw new UserError(`Invalid funnel: ${where}.values: the '${f.operator}' operator needs values`);
      return { ...(column ? { column } : { property: f.property }), operator: f.operator, values: f.values };
    });
    return { name: s.name ?? s.event ?? s.page!, ...(s.event ? { event: s.event } : { page: s.page }), filters };
  });
  const windowMs = parseWindowMs(body.window, body.windowSeconds);
  if (!(windowMs >= 1000 && windowMs <= MAX_WINDOW_MS)) throw new UserError('Invalid funnel: window: must be between 1 second and 366 days');
  const breakdown = body.breakdown?.replace(/^events\./, '');
  if (breakdown !== undefined && !(breakdown in funnelColumns)) {
    throw new UserError(`Invalid funnel: breakdown: unknown member '${body.breakdown}'. Known: ${Object.keys(funnelColumns).join(', ')}`);
  }
  const appIds = body.appId === undefined ? undefined : Array.isArray(body.appId) ? body.appId : [body.appId];
  return Object.freeze({
    name: body.name ?? steps.map((s) => s.name).join(' → '),
    steps,
    windowMs,
    timezone: body.timezone,
    range: toUtcRange(body.dateRange, body.timezone, now),
    ...(body.compareDateRange ? { compare: toUtcRange(body.compareDateRange, body.timezone, now) } : {}),
    ...(breakdown ? { breakdown } : {}),
    ...(appIds ? { appIds } : {}),
  });
}
