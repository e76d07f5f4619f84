// One error type for the whole semantic layer: an HTTP status and a stable code, so the
// API's single handler can write Cube's `{ error }` envelope without leaking stacks.

export class WebcubeError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bad query, model reference or parameter: the client must change the request. */
export class UserError extends WebcubeError {
  constructor(message: string, details?: unknown) { super(message, 400, 'USER_ERROR', details); }
}

/** Missing, malformed or expired credentials (401) or a context not allowed (403). */
export class AuthError extends WebcubeError {
  constructor(message: string, status: 401 | 403 = 403) { super(message, status, 'AUTH_ERROR'); }
}

export class NotFound extends WebcubeError {
  constructor(message: string) { super(message, 404, 'NOT_FOUND'); }
}

/** The engine or a store is saturated or unreachable for now; retry later. */
export class Overloaded extends WebcubeError {
  constructor(message: string, readonly retryAfterSeconds = 5) { super(message, 503, 'OVERLOADED'); }
}
