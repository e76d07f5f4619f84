// Shape of a raw Cube query (api-gateway query.ts Joi schema) as zod: unknown keys rejected
// with Cube's wording by normalizeQuery, types checked here.
import { z } from 'zod';

const memberId = z.string();
const filterValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export interface RawFilter {
  member?: string; dimension?: string; operator?: string; values?: unknown[];
  and?: RawFilter[]; or?: RawFilter[];
}

export const rawFilterSchema: z.ZodType<RawFilter> = z.lazy(() => z.union([
  z.object({ and: z.array(rawFilterSchema) }).strict(),
  z.object({ or: z.array(rawFilterSchema) }).strict(),
  z.object({
    member: memberId.optional(), dimension: memberId.optional(), operator: z.string(),
    values: z.array(filterValue).optional(),
  }).strict(),
]));

export const rawTimeDimensionSchema = z.object({
  dimension: memberId,
  granularity: z.string().nullable().optional(),
  dateRange: z.union([z.string(), z.array(z.string()).min(1).max(2)]).nullable().optional(),
  compareDateRange: z.array(z.union([z.string(), z.array(z.string()).min(1).max(2)])).optional(),
}).strict();

const orderDir = z.enum(['asc', 'desc', 'none']);

export const rawQuerySchema = z.object({
  measures: z.array(memberId).optional(),
  dimensions: z.array(memberId).optional(),
  segments: z.array(memberId).optional(),
  timeDimensions: z.array(rawTimeDimensionSchema).optional(),
  filters: z.array(rawFilterSchema).optional(),
  order: z.union([z.record(z.string(), orderDir), z.array(z.tuple([z.string(), orderDir])), z.array(z.object({ id: z.string(), desc: z.boolean() }))]).optional(),
  limit: z.union([z.number().int().min(0), z.string().regex(/^\d+$/)]).nullable().optional(),
  rowLimit: z.union([z.number().int().min(0), z.string().regex(/^\d+$/)]).nullable().optional(),
  offset: z.union([z.number().int().min(0), z.string().regex(/^\d+$/)]).nullable().optional(),
  total: z.boolean().optional(),
  timezone: z.string().optional(),
  ungrouped: z.boolean().optional(),
  renewQuery: z.boolean().optional(),
  responseFormat: z.enum(['default', 'compact', 'columnar']).optional(),
  cache: z.enum(['stale-if-slow', 'stale-while-revalidate', 'must-revalidate', 'no-cache']).optional(),
  joinHints: z.array(z.array(z.string())).optional(),
  subqueryJoins: z.array(z.unknown()).optional(),
});

export const RAW_QUERY_KEYS: ReadonlySet<string> = new Set(Object.keys(rawQuerySchema.shape));
export type RawQuery = z.infer<typeof rawQuerySchema>;
