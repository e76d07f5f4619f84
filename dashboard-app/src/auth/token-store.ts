// The one place that knows where the API token comes from: the URL (once), the login form, or the dev server.
const STORAGE_KEY = 'webcube.token';
const DEV_TOKEN_PATH = '/cubejs-api/v1/dev-token';

/** Reads `?token=` from the address bar, keeps it, and strips it so shared links never carry it. */
export function takeTokenFromUrl(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (!token) return null;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  saveToken(token);
  return token;
}

export function storedToken(): string | null {
  try { return window.localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

export function saveToken(token: string): void {
  try { window.localStorage.setItem(STORAGE_KEY, token); } catch { /* private mode: token lives in memory only */ }
}

export function clearToken(): void {
  try { window.localStorage.removeItem(STORAGE_KEY); } catch { /* nothing stored */ }
}

/** In dev mode the server hands out a token; in production this path is absent (404) and we ask the user. */
export async function fetchDevToken(): Promise<string | null> {
  try {
    const res = await fetch(DEV_TOKEN_PATH, { headers: { accept: 'application/json' } });
    if (!res.ok) return null;
    const body = (await res.json()) as { token?: unknown };
    return typeof body.token === 'string' ? body.token : null;
  } catch {
    return null;
  }
}

/** Resolution order: URL, stored, dev server. */
export async function resolveToken(): Promise<{ token: string | null; source: 'url' | 'stored' | 'dev' | 'none' }> {
  const fromUrl = takeTokenFromUrl();
  if (fromUrl) return { token: fromUrl, source: 'url' };
  const stored = storedToken();
  if (stored) return { token: stored, source: 'stored' };
  const dev = await fetchDevToken();
  if (dev) return { token: dev, source: 'dev' };
  return { token: null, source: 'none' };
}
