/**
 * One catalogue of errors. Every error Parallax raises on purpose has a stable code,
 * a message that names the thing (file, line, field, id) and what was expected, and an
 * exit code class the CLI and the HTTP server map from. Anything else is a bug.
 */

export const ERROR_CODES = {
  // usage and input validation (exit 2 / HTTP 400)
  USAGE: { kind: 'usage', http: 400 },
  INVALID_FIELD: { kind: 'usage', http: 400 },
  PORT_IN_USE: { kind: 'usage', http: 500 },
  /** a user's configuration file (outlet names) is malformed */
  BAD_CONFIG: { kind: 'usage', http: 400 },
  // input content (a failed input; exit 1 / HTTP 422)
  NOT_FOUND_PATH: { kind: 'input', http: 404 },
  EMPTY_INPUT: { kind: 'input', http: 422 },
  BINARY_INPUT: { kind: 'input', http: 415 },
  UNKNOWN_ENCODING: { kind: 'input', http: 415 },
  TOO_LARGE: { kind: 'input', http: 413 },
  BROKEN_HTML: { kind: 'input', http: 422 },
  NO_CONTENT: { kind: 'input', http: 422 },
  MALFORMED_FEED: { kind: 'input', http: 422 },
  INVALID_JSONL: { kind: 'input', http: 422 },
  UNSUPPORTED_TYPE: { kind: 'input', http: 415 },
  // network
  URL_REFUSED: { kind: 'input', http: 422 },
  FETCH_FAILED: { kind: 'input', http: 502 },
  // store
  UNKNOWN_ID: { kind: 'input', http: 404 },
  DB_LOCKED: { kind: 'store', http: 503 },
  DB_READONLY: { kind: 'store', http: 503 },
  DB_INCOMPATIBLE: { kind: 'store', http: 500 },
  DB_FAILED: { kind: 'store', http: 500 },
  // persisted formats
  FORMAT_VERSION: { kind: 'store', http: 500 },
  /** a saved state of a known format whose content is not what the format says */
  MALFORMED_STATE: { kind: 'store', http: 500 },
  PARAMS_MISMATCH: { kind: 'usage', http: 409 },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class ParallaxError extends Error {
  readonly code: ErrorCode;
  /** What the error is about: a path, `path:line`, a URL, a field name or an id. */
  readonly subject: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { subject?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParallaxError';
    this.code = code;
    this.subject = options?.subject;
  }

  get kind(): 'usage' | 'input' | 'store' {
    return ERROR_CODES[this.code].kind;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }
}

export function createError(
  code: ErrorCode,
  message: string,
  options?: { subject?: string; cause?: unknown },
): ParallaxError {
  return new ParallaxError(code, message, options);
}

export function isParallaxError(e: unknown): e is ParallaxError {
  return e instanceof ParallaxError;
}

/** A one-line description of any thrown value, for reports. */
export function describeError(e: unknown): string {
  if (e instanceof ParallaxError) return `${e.code}: ${e.message}`;
  if (e instanceof Error) return e.message;
  return String(e);
}
