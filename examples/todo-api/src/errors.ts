/**
 * The API's error responses: `{error, message, details?}` (the spec's `Error` schema) with a stable code. Handlers
 * throw an `ApiError`; the entry turns it into a response, and anything else into a logged 500.
 */

/** The error codes the spec lists, plus the ones for faults outside any operation (405, 500, 503). */
export type ErrorCode =
  | "invalid_request" // 400
  | "invalid_token" // 401
  | "insufficient_scope" // 403
  | "not_found" // 404
  | "method_not_allowed" // 405
  | "validation_failed" // 422
  | "internal_error" // 500
  | "temporarily_unavailable"; // 503

/** One invalid field of a request body (`details[]` of a `validation_failed` error). */
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: FieldError[] | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: { details?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

/** A JSON response. Every answer is per user, so none may be cached by intermediaries. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(err: ApiError): Response {
  const body = err.details === undefined
    ? { error: err.code, message: err.message }
    : { error: err.code, message: err.message, details: err.details };
  return json(body, err.status, err.headers);
}

export const notFound = (what = "No such resource."): ApiError => new ApiError(404, "not_found", what);
