// Sign-in: paste an API token (a JWT signed with CUBEJS_API_SECRET); it is checked against /meta before use.
import { useState } from 'react';
import { Alert, Box, Button, Card, CardContent, TextField, Typography } from '@mui/material';
import { API_BASE } from '../../api/cube-api.ts';

export function LoginPage({ onSignIn }: { onSignIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const value = token.trim();
    if (!value) { setError('Enter a token.'); return; }
    setBusy(true);
    try {
      const res = await fetch(`${API_BASE}/meta`, { headers: { Authorization: value } });
      if (res.status === 401 || res.status === 403) setError('This token was refused by the server.');
      else onSignIn(value);
    } catch {
      setError('Cannot reach the webcube server.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Box component="main" sx={{ display: 'grid', placeItems: 'center', minHeight: '100vh', p: 2 }}>
      <Card sx={{ maxWidth: 440, width: '100%' }}>
        <CardContent component="form" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <Typography variant="h5" component="h1" sx={{ fontWeight: 800, color: 'primary.main' }}>webcube</Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            Sign in with an API token. Create one with <code>webcube token</code> or sign a JWT with your CUBEJS_API_SECRET.
          </Typography>
          <TextField
            label="API token" value={token} onChange={(e) => setToken(e.target.value)} fullWidth multiline minRows={3}
            autoFocus error={!!error} helperText={error ?? ' '}
          />
          {error && <Alert severity="error" sx={{ mb: 1 }}>{error}</Alert>}
          <Button type="submit" variant="contained" fullWidth disabled={busy}>Sign in</Button>
        </CardContent>
      </Card>
    </Box>
  );
}
