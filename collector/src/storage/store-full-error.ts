// The overload signal: the spool or disk is over its limit, so the collector answers 503 + Retry-After.
export class StoreFullError extends Error {
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds = 5) {
    super(message);
    this.name = 'StoreFullError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
