// The scheduled refresh inside `webcube server` (CUBEJS_REFRESH_WORKER / scheduledRefreshTimer)
// and the loop of `webcube refresh`: one pass at a time, every `intervalSeconds`, errors logged
// and retried on the next pass (builds themselves also retry with backoff).
import type { PreAggregations, RefreshSelector } from './pre-aggregations.ts';

export interface RefreshScheduler {
  start(): void;
  /** Runs one pass now (or joins the one running). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
  readonly running: boolean;
}

export function createRefreshScheduler(o: {
  readonly preAggs: PreAggregations;
  readonly intervalSeconds: number;
  readonly selector?: () => RefreshSelector | Promise<RefreshSelector>;
  readonly log?: (msg: string) => void;
  /** Runs before each pass (the data lifecycle: retention, rebuilds after an erasure). */
  readonly beforePass?: () => Promise<void>;
}): RefreshScheduler {
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;
  let stopped = true;
  const log = o.log ?? (() => undefined);

  const runOnce = (): Promise<void> => {
    pass ??= (async () => {
      if (o.beforePass) await o.beforePass().catch((e: unknown) => log(`data lifecycle failed, retried next pass: ${(e as Error).message}`));
      try {
        const built = await o.preAggs.refresh(await o.selector?.() ?? {});
        if (built.length) log(`scheduled refresh: ${built.length} partition(s) built`);
      } catch (e) {
        log(`scheduled refresh failed: ${(e as Error).message}`);
      }
    })().finally(() => { pass = undefined; });
    return pass;
  };

  const loop = () => {
    if (stopped) return;
    timer = setTimeout(() => { void runOnce().then(loop); }, o.intervalSeconds * 1000);
    timer.unref();
  };

  return {
    start() {
      if (!stopped || o.intervalSeconds <= 0) return;
      stopped = false;
      void runOnce().then(loop);
    },
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
    get running() { return !stopped; },
  };
}
