// The readiness check behind /readyz and the server's start: model compiled, source engine
// answering. A failure is logged once per distinct cause (probes repeat every few seconds, the
// log must not), and its return to health is logged too, so the log always says why it is DOWN.
import type { Engine } from './engine.ts';

export type Readiness = Readonly<{ ok: true } | { ok: false; reason: string }>;

export function createReadinessCheck(engine: Engine, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): () => Promise<Readiness> {
  let lastReason: string | undefined;
  return async () => {
    let result: Readiness;
    try {
      result = (await engine.ready()) ? { ok: true } : { ok: false, reason: 'the engine reported not ready' };
    } catch (error) {
      result = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
    if (!result.ok && result.reason !== lastReason) log(`webcube server: not ready: ${result.reason}`);
    if (result.ok && lastReason !== undefined) log('webcube server: ready again');
    lastReason = result.ok ? undefined : result.reason;
    return result;
  };
}
