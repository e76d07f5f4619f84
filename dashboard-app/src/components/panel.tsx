// A report card: title, optional actions, and the shared loading / empty / error handling around its content.
import type { ReactNode } from 'react';
import { Card, CardContent, Stack, Typography } from '@mui/material';
import type { DecodedError } from '../auth/decode-error.ts';
import { EmptyState, ErrorState, LoadingState } from './states.tsx';

export type PanelProps = Readonly<{
  title: string;
  subtitle?: string;
  actions?: ReactNode;
  isLoading?: boolean;
  error?: DecodedError | null;
  isEmpty?: boolean;
  emptyMessage?: string;
  onRetry?: () => void;
  loadingHeight?: number;
  children?: ReactNode;
  testId?: string;
}>;

export function Panel({ title, subtitle, actions, isLoading, error, isEmpty, emptyMessage, onRetry, loadingHeight, children, testId }: PanelProps) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  let body: ReactNode = children;
  if (error) body = <ErrorState error={error} onRetry={onRetry} />;
  else if (isLoading) body = <LoadingState height={loadingHeight} />;
  else if (isEmpty) body = <EmptyState message={emptyMessage} />;
  return (
    <Card component="section" aria-labelledby={id} data-testid={testId} sx={{ height: '100%' }}>
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mb: 1.5, gap: 1, flexWrap: 'wrap' }}>
          <div>
            <Typography id={id} variant="subtitle1" component="h2" sx={{ fontWeight: 600 }}>{title}</Typography>
            {subtitle && <Typography variant="caption" color="text.secondary">{subtitle}</Typography>}
          </div>
          {actions}
        </Stack>
        {body}
      </CardContent>
    </Card>
  );
}
