// The application: theme, token, router; every page is loaded on demand to keep the first load small.
import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router-dom';
import { CssBaseline, ThemeProvider } from '@mui/material';
import { theme } from './theme.ts';
import { AuthGate, useAuth } from './auth/auth-gate.tsx';
import { AppLayout } from './components/app-layout.tsx';
import { LoadingState } from './components/states.tsx';

const OverviewPage = lazy(() => import('./pages/overview/overview-page.tsx'));
const RealtimePage = lazy(() => import('./pages/realtime/realtime-page.tsx'));
const AcquisitionPage = lazy(() => import('./pages/acquisition/acquisition-page.tsx'));
const EngagementPage = lazy(() => import('./pages/engagement/engagement-page.tsx'));
const AudiencePage = lazy(() => import('./pages/audience/audience-page.tsx'));
const FunnelsPage = lazy(() => import('./pages/funnels/funnels-page.tsx'));
const ExplorerPage = lazy(() => import('./pages/explorer/explorer-page.tsx'));

function Shell() {
  const { signOut } = useAuth();
  return (
    <AppLayout onSignOut={signOut}>
      <Suspense fallback={<LoadingState rows={8} />}>
        <Routes>
          <Route path="/" element={<OverviewPage />} />
          <Route path="/realtime" element={<RealtimePage />} />
          <Route path="/acquisition" element={<AcquisitionPage />} />
          <Route path="/engagement" element={<EngagementPage />} />
          <Route path="/audience" element={<AudiencePage />} />
          <Route path="/funnels" element={<FunnelsPage />} />
          <Route path="/explorer" element={<ExplorerPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Routes>
      </Suspense>
    </AppLayout>
  );
}

export function App() {
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <BrowserRouter>
        <AuthGate><Shell /></AuthGate>
      </BrowserRouter>
    </ThemeProvider>
  );
}
