// Resolves the API token before anything renders, and offers the login form when there is none.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { CubeProvider } from '@cubejs-client/react';
import { Box, CircularProgress } from '@mui/material';
import { createCubeApi } from '../api/cube-api.ts';
import { withPrefetch } from '../api/prefetch.ts';
import { routeQueries } from '../queries/route-queries.ts';
import { LoginPage } from '../pages/login/login-page.tsx';
import { clearToken, resolveToken, saveToken } from './token-store.ts';

type AuthContextValue = Readonly<{ token: string; signOut: () => void }>;

const AuthContext = createContext<AuthContextValue | null>(null);

/** Null outside the gate (the login page), so shared components can offer "sign in again" when they can. */
export function useOptionalAuth(): AuthContextValue | null {
  return useContext(AuthContext);
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthGate');
  return value;
}

export function AuthGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<{ token: string | null; ready: boolean }>({ token: null, ready: false });
  useEffect(() => {
    let alive = true;
    void resolveToken().then(({ token }) => { if (alive) setState({ token, ready: true }); });
    return () => { alive = false; };
  }, []);
  const signIn = useCallback((token: string) => { saveToken(token); setState({ token, ready: true }); }, []);
  const signOut = useCallback(() => { clearToken(); setState({ token: null, ready: true }); }, []);
  const cubeApi = useMemo(() => {
    if (!state.token) return null;
    // The landing page's requests start now, in parallel with loading its code.
    const api = withPrefetch(createCubeApi(state.token));
    api.prefetch(routeQueries(window.location.pathname, window.location.search));
    return api;
  }, [state.token]);
  if (!state.ready) {
    return <Box sx={{ display: 'grid', placeItems: 'center', minHeight: '100vh' }}><CircularProgress aria-label="Loading" /></Box>;
  }
  if (!state.token || !cubeApi) return <LoginPage onSignIn={signIn} />;
  return (
    <AuthContext.Provider value={{ token: state.token, signOut }}>
      {/* @cubejs-client/react nests its own copy of core's types; vite dedupes the runtime. */}
      <CubeProvider cubeApi={cubeApi as never}>{children}</CubeProvider>
    </AuthContext.Provider>
  );
}
