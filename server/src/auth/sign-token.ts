// Issues HS256 tokens signed with the API secret: the dev-mode token endpoint and tests use it.
import { SignJWT } from 'jose';

export async function signToken(
  payload: Record<string, unknown>,
  secret: string,
  opts: { expiresIn?: string | number } = {},
): Promise<string> {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt();
  if (opts.expiresIn !== undefined) jwt.setExpirationTime(opts.expiresIn);
  return jwt.sign(new TextEncoder().encode(secret));
}
