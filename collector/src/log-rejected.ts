// Logs events that fail validation or enrichment. Each becomes a bad row (kept with its reason),
// but an operator reading the log must also learn that events are being rejected and why. A
// hostile or broken tracker can send thousands a second, so the first event of each kind of reason
// is logged at once with its full reason, and after that only a count per kind, at most once a
// minute.
const SUMMARY_EVERY_MS = 60_000;
const MAX_KINDS = 200;

export interface RejectionLog {
  note(reason: string, source?: string): void;
}

/** The reason's kind: its text before the first ':' (e.g. `schema_violation`), cut short. */
function kindOf(reason: string): string {
  const colon = reason.indexOf(':');
  return (colon > 0 ? reason.slice(0, colon) : reason).slice(0, 80);
}

export function rejectionLog(write: (line: string) => void = (l) => process.stderr.write(l), now: () => number = Date.now): RejectionLog {
  const seenKinds = new Set<string>();
  const pending = new Map<string, number>();
  let lastSummary = now();
  const flush = (): void => {
    const parts = [...pending].map(([kind, n]) => `${kind} × ${n}`);
    pending.clear();
    lastSummary = now();
    if (parts.length > 0) write(`webcube collector: rejected events since the last report (kept in bad rows): ${parts.join(', ')}\n`);
  };
  return {
    note(reason, source) {
      const kind = kindOf(reason);
      if (!seenKinds.has(kind) && seenKinds.size < MAX_KINDS) {
        seenKinds.add(kind);
        write(`webcube collector: an event${source ? ` from ${source}` : ''} was rejected and kept as a bad row: ${reason.slice(0, 500)}\n`);
      } else {
        pending.set(kind, (pending.get(kind) ?? 0) + 1);
      }
      if (now() - lastSummary >= SUMMARY_EVERY_MS) flush();
    },
  };
}

/** The process-wide log the collector's paths share. */
export const rejectedEvents: RejectionLog = rejectionLog();
