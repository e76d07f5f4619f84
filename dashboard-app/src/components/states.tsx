// The same loading, empty and error states for every widget and page.
import { Alert, Box, Button, Skeleton, Stack, Typography } from '@mui/material';
import InboxOutlined from '@mui/icons-material/InboxOutlined';
import type { DecodedError } from '../auth/decode-error.ts';
import { useOptionalAuth } from '../auth/auth-gate.tsx';

export function LoadingState({ rows = 5, height }: { rows?: number; height?: number }) {
  if (height) return <Skeleton variant="rounded" height={height} aria-label="Loading" />;
  return (
    <Stack spacing={1} aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => <Skeleton key={i} variant="rounded" height={24} />)}
    </Stack>
  );
}

export function EmptyState({ message = 'No data for this period and filters.' }: { message?: string }) {
  return (
    <Box sx={{ py: 4, textAlign: 'center', color: 'text.secondary' }} role="status">
      <InboxOutlined sx={{ fontSize: 36, opacity: 0.5 }} aria-hidden />
      <Typography variant="body2">{message}</Typography>
    </Box>
  );
}

export function ErrorState({ error, onRetry }: { error: DecodedError; onRetry?: () => void }) {
  const auth = useOptionalAuth();
  const action = error.kind === 'auth' && auth
    ? <Button color="inherit" size="small" onClick={auth.signOut}>Sign in</Button>
    : onRetry ? <Button color="inherit" size="small" onClick={onRetry}>Retry</Button> : undefined;
  return (
    <Alert severity="error" role="alert" action={action}>
      {error.message}
    </Alert>
  );
}
