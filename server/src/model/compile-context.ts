// COMPILE_CONTEXT values the compiler evaluates itself (Cube's dynamic data models): a cube's,
// view's or member's `public: COMPILE_CONTEXT.security_context.is_finance`. Cube compiles one
// model per app (contextToAppId) with the context of the request that compiled it; so does webcube.
import { refPath } from './js-refs.ts';
import { optBool } from './member-props.ts';

/** The COMPILE_CONTEXT object: Cube exposes the security context as both spellings. */
export function compileContextOf(securityContext: Readonly<Record<string, unknown>> | undefined, extra: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  const sc = securityContext ?? {};
  return { ...extra, securityContext: sc, security_context: sc, authInfo: sc };
}

const WRITTEN = /^\s*\{?\s*COMPILE_CONTEXT((?:\.[A-Za-z_]\w*)+)\s*\}?\s*$/;

/** The COMPILE_CONTEXT path a value refers to (YAML text or a JS reference), if it is one. */
export function compileContextPath(value: unknown): readonly string[] | undefined {
  const ref = refPath(value);
  if (ref) return ref[0] === 'COMPILE_CONTEXT' ? ref.slice(1) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = value.match(WRITTEN);
  return m ? m[1].slice(1).split('.') : undefined;
}

/** `public`-like flags: true/false, or a COMPILE_CONTEXT reference read as a truthy value. */
export function optContextBool(value: unknown, key: string, context: Readonly<Record<string, unknown>> | undefined): boolean | undefined {
  const path = compileContextPath(value);
  if (!path) return optBool(value, key);
  let v: unknown = context ?? {};
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  if (typeof v === 'string') return v !== '' && v !== 'false' && v !== '0';
  return Boolean(v);
}
