// Turns an `Authorization` header into a security context the way Cube's default checkAuth
// does: raw or `Bearer` JWT, HS256 with the API secret (or a JWKS), `exp` enforced, payload = context.
import { jwtVerify, createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { AuthError } from '../errors.ts';
import { checkClaimsDepth } from './claims-depth.ts';

export type SecurityContext = Record<string, unknown>;

export type JwtOptions = Readonly<{
  secret?: string;
  algorithms?: readonly string[];
  audience?: string;
  issuer?: string;
  subject?: string;
  claimsNamespace?: string;
  jwkUrl?: string;
}>;

export type TokenVerifier = (authorization: string | undefined) => Promise<SecurityContext>;

/** Cube splits on the space and keeps the last part, so `Bearer x` and `x` both work. */
export function extractToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const parts = authorization.trim().split(/\s+/);
  const token = parts.length > 1 && /^bearer$/i.test(parts[0]!) ? parts[1] : parts[parts.length - 1];
  return token || undefined;
}

export function createTokenVerifier(opts: JwtOptions): TokenVerifier {
  const jwks: JWTVerifyGetKey | undefined = opts.jwkUrl ? createRemoteJWKSet(new URL(opts.jwkUrl)) : undefined;
  const secret = opts.secret ? new TextEncoder().encode(opts.secret) : undefined;
  const algorithms = opts.algorithms ? [...opts.algorithms] : jwks ? undefined : ['HS256', 'HS384', 'HS512'];
  // Dashboards send the same token with every request: remember verified ones briefly (never past exp).
  const verified = new Map<string, { ctx: SecurityContext; until: number }>();
  return async (authorization) => {
    const token = extractToken(authorization);
    if (!token) throw new AuthError("Authorization header isn't set", 403);
    const hit = verified.get(token);
    if (hit && hit.until > Date.now()) return structuredClone(hit.ctx);
    let payload: JWTPayload;
    try {
      const verifyOpts = { algorithms, audience: opts.audience, issuer: opts.issuer, subject: opts.subject };
      if (jwks) payload = (await jwtVerify(token, jwks, verifyOpts)).payload;
      else if (secret) payload = (await jwtVerify(token, secret, verifyOpts)).payload;
      else throw new Error('no key configured');
    } catch {
      // Cube answers every verification failure (bad signature, expired, malformed) the same way.
      throw new AuthError('Invalid token', 403);
    }
    checkClaimsDepth(payload);
    const ctx = toSecurityContext(payload, opts.claimsNamespace);
    const until = Math.min(Date.now() + 60_000, typeof payload.exp === 'number' ? payload.exp * 1000 : Infinity);
    if (verified.size >= 1000) verified.delete(verified.keys().next().value!);
    verified.set(token, { ctx, until });
    return structuredClone(ctx);
  };
}

/** The payload is the context; a legacy `u` claim is merged in, a claims namespace narrows it. */
export function toSecurityContext(payload: JWTPayload, claimsNamespace?: string): SecurityContext {
  let ctx: Record<string, unknown> = { ...payload };
  if (claimsNamespace) {
    const ns = ctx[claimsNamespace];
    ctx = ns && typeof ns === 'object' ? { ...(ns as Record<string, unknown>) } : {};
  }
  const u = ctx.u;
  if (u && typeof u === 'object') {
    const { u: _legacy, ...rest } = ctx;
    ctx = { ...(u as Record<string, unknown>), ...rest };
  }
  return ctx;
}
