// Collector errors as values with an HTTP status chosen for the trackers' retry logic: Snowplow's
// emitter retries everything except 400, 401, 403, 410 and 422, so 4xx means "never send this
// again" and 503 + Retry-After means "later".
export class CollectorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'CollectorError';
  }
}

export const badRequest = (message: string) => new CollectorError(400, 'bad_request', message);
export const unauthorized = (message: string) => new CollectorError(401, 'unauthorized', message);
export const tooLarge = (message: string) => new CollectorError(413, 'payload_too_large', message);
export const overloaded = (message: string, retryAfterSeconds: number) => new CollectorError(503, 'overloaded', message, retryAfterSeconds);
export const notFound = (message: string) => new CollectorError(404, 'not_found', message);
