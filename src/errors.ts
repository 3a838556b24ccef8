/**
 * One catalogue of errors. Every error Parallax raises on purpose has a stable code,
 * a message that names the thing (file, line, field, id) and what was expected, and a kind
 * the CLI maps to its exit code. The HTTP status of each code is the server's business
 * (src/server/status.ts). Anything else is a bug.
 */

export const ERROR_CODES = {
  // usage and input validation (exit 2)
  USAGE: { kind: 'usage' },
  INVALID_FIELD: { kind: 'usage' },
  PORT_IN_USE: { kind: 'usage' },
  /** a user's configuration file (outlet names) is malformed */
  BAD_CONFIG: { kind: 'usage' },
  // input content (a failed input; exit 1)
  NOT_FOUND_PATH: { kind: 'input' },
  EMPTY_INPUT: { kind: 'input' },
  BINARY_INPUT: { kind: 'input' },
  UNKNOWN_ENCODING: { kind: 'input' },
  TOO_LARGE: { kind: 'input' },
  BROKEN_HTML: { kind: 'input' },
  NO_CONTENT: { kind: 'input' },
  MALFORMED_FEED: { kind: 'input' },
  INVALID_JSONL: { kind: 'input' },
  UNSUPPORTED_TYPE: { kind: 'input' },
  // network
  URL_REFUSED: { kind: 'input' },
  FETCH_FAILED: { kind: 'input' },
  // store
  UNKNOWN_ID: { kind: 'input' },
  DB_LOCKED: { kind: 'store' },
  DB_READONLY: { kind: 'store' },
  DB_INCOMPATIBLE: { kind: 'store' },
  DB_FAILED: { kind: 'store' },
  // persisted formats
  FORMAT_VERSION: { kind: 'store' },
  /** a saved state of a known format whose content is not what the format says */
  MALFORMED_STATE: { kind: 'store' },
  PARAMS_MISMATCH: { kind: 'usage' },
  // HTTP requests
  /** no bearer token, or the wrong one */
  UNAUTHORIZED: { kind: 'usage' },
  /** a write to a server started without a write token */
  WRITES_DISABLED: { kind: 'usage' },
  /** no API route has this path */
  NOT_FOUND: { kind: 'usage' },
  /** the path is known, the method is not one it takes */
  METHOD_NOT_ALLOWED: { kind: 'usage' },
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
}

export function createError(code: ErrorCode, message: string, options?: { subject?: string; cause?: unknown }): ParallaxError {
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
