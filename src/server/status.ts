import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorCode } from '../contract/common.js';

/**
 * The HTTP status of every error code: the one place the server decides it. A code added to
 * the catalogue does not compile until it has a status here.
 */
export const HTTP_STATUS: Readonly<Record<ApiErrorCode, ContentfulStatusCode>> = {
  USAGE: 400,
  INVALID_FIELD: 400,
  PORT_IN_USE: 500,
  BAD_CONFIG: 400,
  NOT_FOUND_PATH: 404,
  EMPTY_INPUT: 422,
  BINARY_INPUT: 415,
  UNKNOWN_ENCODING: 415,
  TOO_LARGE: 413,
  BROKEN_HTML: 422,
  NO_CONTENT: 422,
  MALFORMED_FEED: 422,
  INVALID_JSONL: 422,
  UNSUPPORTED_TYPE: 415,
  // an input's refused URL is reported inside a 200 or 422 ingest report; as the error of a
  // whole request it is an option this server does not allow (allowPrivate)
  URL_REFUSED: 403,
  FETCH_FAILED: 502,
  UNKNOWN_ID: 404,
  DB_LOCKED: 503,
  DB_READONLY: 503,
  DB_INCOMPATIBLE: 500,
  DB_FAILED: 500,
  FORMAT_VERSION: 500,
  MALFORMED_STATE: 500,
  PARAMS_MISMATCH: 409,
  UNAUTHORIZED: 401,
  WRITES_DISABLED: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  INTERNAL: 500,
};
