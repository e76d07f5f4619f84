// The funnel data hook: runs a funnel job for the view and keeps the list of saved funnels.
import { useCallback, useEffect, useRef, useState } from 'react';
import { listFunnels, runFunnel, type FunnelRequest, type FunnelResult } from '../../api/funnels-api.ts';
import { decodeError, type DecodedError } from '../../auth/decode-error.ts';

/** The server keeps every run; the list shows each distinct funnel once, newest run first. */
export function uniqueFunnels(all: readonly FunnelResult[]): FunnelResult[] {
  const seen = new Set<string>();
  const key = (f: FunnelResult) => JSON.stringify([f.name, (f.request as { steps?: unknown; windowSeconds?: unknown } | undefined)?.steps, (f.request as { windowSeconds?: unknown } | undefined)?.windowSeconds]);
  return [...all]
    .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''))
    .filter((f) => { const k = key(f); if (seen.has(k)) return false; seen.add(k); return true; });
}

export function useFunnel(token: string) {
  const [result, setResult] = useState<FunnelResult | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<DecodedError | null>(null);
  const [saved, setSaved] = useState<FunnelResult[] | null>(null);
  const abort = useRef<AbortController | null>(null);

  const refreshSaved = useCallback(() => {
    listFunnels(token).then((all) => setSaved(uniqueFunnels(all)), () => setSaved([]));
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
