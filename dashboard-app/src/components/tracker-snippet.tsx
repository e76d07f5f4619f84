// The empty state for a site with no data yet: how to install the official Snowplow tracker pointed at us.
import { useState } from 'react';
import { Box, Button, Card, CardContent, Typography } from '@mui/material';
import ContentCopy from '@mui/icons-material/ContentCopy';

/** The collector listens on Snowplow's port 8080 on the same host unless configured otherwise. */
function collectorEndpoint(): string {
  return `${window.location.protocol}//${window.location.hostname}:8080`;
}

export function trackerSnippet(site: string): string {
  return [
    `import { newTracker, trackPageView, enableActivityTracking } from '@snowplow/browser-tracker';`,
    ``,
    `newTracker('sp', '${collectorEndpoint()}', { appId: '${site}', contexts: { webPage: true } });`,
    `enableActivityTracking({ minimumVisitLength: 5, heartbeatDelay: 10 });`,
    `trackPageView();`,
  ].join('\n');
}

export function TrackerSnippet({ site }: { site: string | null }) {
  const [copied, setCopied] = useState(false);
  const code = trackerSnippet(site ?? 'my-site');
  const copy = async () => {
    try { await navigator.clipboard.writeText(code); setCopied(true); } catch { setCopied(false); }
  };
  return (
    <Card variant="outlined" data-testid="tracker-snippet">
      <CardContent>
        <Typography variant="h6" component="h2" gutterBottom>No visits{site ? ` to ${site}` : ''} in this period</Typography>
        <Typography variant="body2" color="text.secondary" gutterBottom>
          New here? Add the official Snowplow browser tracker to your site (npm i @snowplow/browser-tracker) and visits appear
          within seconds. The heartbeat settings below match how webcube measures engagement time.
        </Typography>
        <Box component="pre" sx={{ bgcolor: 'grey.900', color: 'grey.100', p: 2, borderRadius: 1, overflowX: 'auto', fontSize: 13 }}>
          <code>{code}</code>
        </Box>
        <Button startIcon={<ContentCopy />} size="small" onClick={copy}>{copied ? 'Copied' : 'Copy snippet'}</Button>
      </CardContent>
    </Card>
  );
}
