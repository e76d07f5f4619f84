// The funnel data hook: runs a funnel job for the view and keeps the list of saved funnels.
import { useCallback, useEffect, useRef, useState } from 'react';
import { listFunnels, runFunnel, type FunnelRequest, type FunnelResult } from '../../api/funnels-api.ts';
import { decodeError, type DecodedError } from '../../auth/decode-error.ts';

export function useFunnel(token: string) {
  const [result, setResult] = useState<FunnelResult | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<DecodedError | null>(null);
  const [saved, setSaved] = useState<FunnelResult[] | null>(null);
  const abort = useRef<AbortController | null>(null);

  const refreshSaved = useCallback(() => {
    listFunnels(token).then(setSaved, () => setSaved([]));
  }, [token]);

  const run = useCallback(async (req: FunnelRequest) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setRunning(true);
    setError(null);
    try {
      const r = await runFunnel(token, req, controller.signal);
      if (!controller.signal.aborted) { setResult(r); refreshSaved(); }
    } catch (e) {
      if (!controller.signal.aborted) setError(decodeError(e));
    } finally {
      if (!controller.signal.aborted) setRunning(false);
    }
  }, [token, refreshSaved]);

  useEffect(() => { refreshSaved(); return () => abort.current?.abort(); }, [refreshSaved]);
  return { result, running, error, saved, run, setResult };
}
