/**
 * Talking to the identity provider, as the auth errors of errors.ts. Every request to it goes through `idpFetch`, so
 * "could not be reached" is decided where the request is made (a rejected fetch: network or time limit; a 5xx or 429
 * answer) and never guessed from an error's type or text later. What remains is what the provider answered, which
 * `idpError` sorts by the libraries' own error classes. Anything else is a bug and is thrown on, to end as a 500.
 */
import { errors } from "jose";
import {
  AuthorizationResponseError,
  OperationProcessingError,
  ResponseBodyError,
  UnsupportedOperationError,
  WWWAuthenticateChallengeError,
} from "oauth4webapi";
import {
  AuthError,
  IdentityProviderRefused,
  IdentityProviderResponseInvalid,
  IdentityProviderUnavailable,
  SignInDenied,
  TokenClaimInvalid,
  TokenExpired,
  TokenMalformed,
  TokenSignatureInvalid,
  type AuthRefusal,
  type IdpEndpoint,
} from "./errors.ts";

/** Time limit for one request to the identity provider (discovery, introspection, token endpoint). */
export const IDP_TIMEOUT_MS = 10_000;

/**
 * `fetchImpl` for requests to the provider's `endpoint`: a rejection (network error, the time limit's abort) and an
 * answer that says "not now" (RFC 9110 §15.6 5xx, RFC 6585 §4 429) become IdentityProviderUnavailable.
 */
export function idpFetch(fetchImpl: typeof fetch, endpoint: IdpEndpoint): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await fetchImpl(input, init);
    } catch (error) {
      throw new IdentityProviderUnavailable(endpoint, `the ${endpoint} request failed: ${fetchFailure(error, init?.signal)}`);
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new IdentityProviderUnavailable(endpoint, `the ${endpoint} endpoint answered HTTP ${response.status}`);
    }
    return response;
  };
}

/** The error's name (and a system code such as ECONNREFUSED): its message is not needed and is not logged. */
function fetchFailure(error: unknown, signal: AbortSignal | null | undefined): string {
  if (signal?.aborted) return "no answer within the time limit";
  const name = error instanceof Error ? error.name : typeof error;
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === "string" ? `${name} (${cause.code})` : name;
}

/**
 * An error from an oauth4webapi exchange with the provider's `endpoint`, as an AuthError. The callers handle the
 * OAuth errors that mean something for the caller (`invalid_grant`) before asking.
 */
export function idpError(error: unknown, endpoint: IdpEndpoint): AuthError {
  if (error instanceof AuthError) return error;
  // RFC 6749 §5.2: an OAuth error in the body (invalid_client, invalid_scope, unauthorized_client, …).
  if (error instanceof ResponseBodyError) return new IdentityProviderRefused(endpoint, error.error);
  if (error instanceof WWWAuthenticateChallengeError) {
    return new IdentityProviderRefused(endpoint, error.cause[0]?.parameters.error ?? `HTTP ${error.status} challenge`);
  }
  if (error instanceof AuthorizationResponseError) return new SignInDenied(`the identity provider ended the sign-in with ${error.error}`);
  // Not the document or token expected (wrong issuer, missing field, an ID token whose nonce does not match), or a
  // use the library refuses (plain http to a non-loopback host): oauth4webapi's messages name the field, not values.
  if (error instanceof OperationProcessingError || error instanceof UnsupportedOperationError) {
    return new IdentityProviderResponseInvalid(endpoint, error.message);
  }
  throw error;
}

/**
 * A jose verification error for a token checked against a key set fetched from `endpoint`: the token's fault
 * (a refusal), the key set's (the provider), or neither (a bug, thrown on).
 */
export function joseError(error: unknown, endpoint: IdpEndpoint): AuthError {
  const refusal = joseRefusal(error);
  if (refusal) return refusal;
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWKSTimeout) return new IdentityProviderUnavailable(endpoint, "no key set within the time limit");
  // "Expected 200 OK", not JSON, not a JWK Set: the provider answered something else.
  if (error instanceof errors.JOSEError) return new IdentityProviderResponseInvalid(endpoint, `the key set could not be used: ${error.message}`);
  throw error;
}

function joseRefusal(error: unknown): AuthRefusal | undefined {
  if (error instanceof errors.JWTExpired) return new TokenExpired("the token is past its exp (beyond the leeway)");
  // RFC 9068 §4 / RFC 7519 §4.1: iss, aud, nbf, required claims. jose names the claim; its message has no value.
  if (error instanceof errors.JWTClaimValidationFailed) return new TokenClaimInvalid(error.claim, error.message);
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return new TokenMalformed(error.message);
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JWKInvalid
  ) {
    return new TokenSignatureInvalid(error.message);
  }
  return undefined;
}
