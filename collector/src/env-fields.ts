// Shared parsing for the collector's config modules: zod field types for environment strings,
// and one loop that validates every field and names the bad variable in its error.
import { z } from 'zod';

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');
export const list = z.string().transform((v) => v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean));

export type ParsedFields<F extends Record<string, z.ZodType>> = { [K in keyof F]: z.output<F[K]> };

/** Validates every field; an empty value counts as unset, so its default applies. */
export function parseEnvFields<F extends Record<string, z.ZodType>>(fields: F, env: Record<string, string | undefined>): ParsedFields<F> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(fields)) {
    const raw = env[name] === '' ? undefined : env[name];
    const result = schema.safeParse(raw);
    if (!result.success) {
      throw new Error(`${name}: invalid value ${JSON.stringify(raw)} (${result.error.issues[0]?.message ?? 'invalid'})`);
    }
    out[name] = result.data;
  }
  return out as ParsedFields<F>;
}
