// Resolves the security context of a request: the user's `checkAuth` from cube.js when given,
// else JWT verification (Cube's default checkAuth). Dev mode admits requests without a valid
// token, as Cube's dev mode does (a stale dashboard token after a restart keeps working);
// a valid token still brings its security context.
import { callHook } from './hook-error.ts';
import type { AuthRequest, CubeOptions } from '../api/cube-options.ts';
import { createTokenVerifier, type SecurityContext } from './verify-token.ts';

export type Authenticator = (req: AuthRequest) => Promise<SecurityContext>;

export type AuthSettings = {
  devMode: boolean;
  secret: string | undefined;
  jwt: { algorithms?: readonly string[]; audience?: string; issuer?: string; subject?: string; claimsNamespace?: string; jwkUrl?: string; key?: string };
};

export function createAuthenticator(settings: AuthSettings, options: CubeOptions): Authenticator {
  const jwt = { ...settings.jwt, ...(options.jwt ?? {}) };
  const verify = createTokenVerifier({
    secret: jwt.key ?? options.apiSecret ?? settings.secret,
    algorithms: jwt.algorithms,
    audience: jwt.audience,
    issuer: Array.isArray(jwt.issuer) ? jwt.issuer[0] : jwt.issuer,
    subject: jwt.subject,
    claimsNamespace: jwt.claimsNamespace,
    jwkUrl: jwt.jwkUrl,
  });
  const custom = options.checkAuth;

  return async (req) => {
    const header = firstHeader(req.headers.authorization);
    if (custom) {
      const returned = await callHook(() => custom(req, header)) as { security_context?: SecurityContext; securityContext?: SecurityContext } | undefined;
      return returned?.security_context ?? returned?.securityContext ?? req.securityContext ?? req.authInfo ?? {};
    }
    if (!settings.devMode) return verify(header);
    if (!header) return {};
    try {
      return await verify(header);
    } catch {
      warnOnce('🔓 Authentication checks are disabled in developer mode: an invalid token was ignored');
      return {};
    }
  };
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`webcube server: ${message}\n`);
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
