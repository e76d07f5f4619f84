// Logs a server fault (an answer of 500) with its cause, whatever CUBEJS_LOG_LEVEL says: a 500
// means a bug to fix, and the client only sees the message. A client can repeat one fault at will,
// so each distinct message is logged once, and after MAX_MESSAGES of them only a count is kept.
const MAX_MESSAGES = 100;
const seen = new Set<string>();
let suppressed = 0;

export function logFault(where: string, error: unknown): void {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  if (seen.has(message)) return;
  if (seen.size >= MAX_MESSAGES) {
    if (suppressed++ === 0) process.stderr.write(`webcube server: more than ${MAX_MESSAGES} distinct faults; logging no more of them\n`);
    return;
  }
  seen.add(message);
  const cause = error instanceof Error && error.stack ? error.stack : message;
  process.stderr.write(`webcube server: internal error on ${where.slice(0, 200)}: ${cause}\n`);
}
