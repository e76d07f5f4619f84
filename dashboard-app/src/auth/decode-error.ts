// The one place that turns a failed request (Cube RequestError, fetch failure, funnel API) into a message for people.
export type DecodedError = Readonly<{ kind: 'auth' | 'network' | 'query' | 'server'; message: string; status?: number }>;

type MaybeRequestError = { message?: unknown; status?: unknown; response?: { error?: unknown } };

export function decodeError(error: unknown): DecodedError {
  const e = (error ?? {}) as MaybeRequestError;
  const status = typeof e.status === 'number' ? e.status : undefined;
  const raw = typeof e.response?.error === 'string' ? e.response.error
    : typeof e.message === 'string' ? e.message : String(error);
  if (status === 401 || status === 403 || /token|authoriz/i.test(raw) && (status ?? 0) >= 400) {
    return { kind: 'auth', status, message: 'Your access token was refused. Sign in again with a valid token.' };
  }
  if (/failed to fetch|network|load failed/i.test(raw) && status === undefined) {
    return { kind: 'network', message: 'Cannot reach the webcube server. Check that it is running.' };
  }
  if (status !== undefined && status >= 500) return { kind: 'server', status, message: `The server failed: ${raw}` };
  return { kind: 'query', status, message: raw };
}
