/**
 * How an adapter's `authenticate` ends when it does not accept the request, with the reason attached for the log
 * (src/bridge.ts reports it): a refusal is the adapter's own challenge; a failure that is not the caller's fault is
 * 503 with Retry-After when the identity provider could not be reached (try again), else 500. Anything that is not an
 * AuthError is a bug: thrown on, it ends as the bridge's 500 with its stack in the log.
 */
import { AuthError, AuthRefusal, IdentityProviderUnavailable } from "./errors.ts";
import type { AuthOutcome } from "./types.ts";

/** Seconds a client should wait before trying again after the identity provider could not be reached. */
export const RETRY_AFTER_SECONDS = 5;

/** `error` refused with `challenge(error)`; any other failure as `failureOutcome`. */
export function refusalOrFailure(error: unknown, challenge: (refusal: AuthRefusal) => Response): AuthOutcome {
  if (error instanceof AuthRefusal) return { ok: false, response: challenge(error), error };
  return failureOutcome(error);
}

export function failureOutcome(error: unknown): AuthOutcome {
  if (!(error instanceof AuthError)) throw error;
  return { ok: false, response: failureResponse(error), error };
}

/** 503 + Retry-After when the identity provider could not be reached; 500 for any other failure. */
export function failureResponse(error: AuthError): Response {
  return error instanceof IdentityProviderUnavailable ? unavailableResponse() : serverErrorResponse();
}

/** The token could not be checked because the identity provider is unreachable: not the caller's fault, so no 401. */
export function unavailableResponse(): Response {
  return Response.json(
    { error: "temporarily_unavailable", error_description: "The identity provider could not be reached; try again" },
    { status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS), "cache-control": "no-store" } },
  );
}

/** Generic on purpose: the reason is in the bridge's log, not in the answer. */
export function serverErrorResponse(): Response {
  return Response.json(
    { error: "server_error", error_description: "The bridge could not handle the request; its operator can see why in its log" },
    { status: 500, headers: { "cache-control": "no-store" } },
  );
}
