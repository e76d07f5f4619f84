// Logs an unexpected failure with its cause (the stack goes to the log, never to a client). A
// hostile client can repeat one failure at will, so each distinct message is logged once, and
// after MAX_MESSAGES of them only a count is kept: the log stays readable and bounded.
const MAX_MESSAGES = 100;
const seen = new Set<string>();
let suppressed = 0;

export function logFailure(what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const key = `${what}\n${message}`;
  if (seen.has(key)) return;
  if (seen.size >= MAX_MESSAGES) {
    if (suppressed++ === 0) process.stderr.write(`webcube collector: more than ${MAX_MESSAGES} distinct failures; logging no more of them\n`);
    return;
  }
  seen.add(key);
  const cause = error instanceof Error && error.stack ? error.stack : message;
  process.stderr.write(`webcube collector: ${what}: ${cause}\n`);
}
