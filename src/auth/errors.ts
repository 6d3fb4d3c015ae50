/**
 * Every refusal and failure of the auth adapters, one class each with a stable code (src/errors.ts). Reasons are
 * written for the operator's log: they may name the check that failed (a claim, an endpoint, an OAuth error code) but
 * never carry a token, a secret or an error object that could hold one (the request with its subject token).
 *
 *   AuthRefusal: the caller's credentials are not accepted (RFC 6750 §3.1: 401, or 400 for a malformed header)
 *   the rest:    not the caller's fault: the identity provider is down (503, "try again") or answers what the bridge
 *                cannot use, or the deployment lacks a secret or binding (500)
 */
import { BridgeError } from "../errors.ts";

export abstract class AuthError extends BridgeError {}

/** The caller's credentials are not accepted: the answer is a challenge, and the caller signs in (again). */
export abstract class AuthRefusal extends AuthError {}

/** No credentials in the place this adapter reads them from (RFC 6750 §3.1: a challenge without an error code). */
export class NoCredentials extends AuthRefusal {
  override readonly name = "NoCredentials";
  readonly code = "ERR_AUTH_NO_CREDENTIALS";
}

/** An `Authorization: Bearer` header that is not a b64token (RFC 6750 §2.1, §3.1 `invalid_request`). */
export class MalformedCredentials extends AuthRefusal {
  override readonly name = "MalformedCredentials";
  readonly code = "ERR_AUTH_MALFORMED";
}

/** Not a JWS/JWT at all, or far too large to be one. */
export class TokenMalformed extends AuthRefusal {
  override readonly name = "TokenMalformed";
  readonly code = "ERR_TOKEN_MALFORMED";
}

/** The signature does not verify with the issuer's keys (unknown key, wrong key, algorithm not allowed). */
export class TokenSignatureInvalid extends AuthRefusal {
  override readonly name = "TokenSignatureInvalid";
  readonly code = "ERR_TOKEN_SIGNATURE_INVALID";
}

/** RFC 7519 §4.1.4: past `exp`, beyond the clock-skew leeway. */
export class TokenExpired extends AuthRefusal {
  override readonly name = "TokenExpired";
  readonly code = "ERR_TOKEN_EXPIRED";
}

/** A claim check failed: `iss`, `aud` (RFC 8707), `nbf`, or a required claim such as `sub` is missing. */
export class TokenClaimInvalid extends AuthRefusal {
  override readonly name = "TokenClaimInvalid";
  readonly code = "ERR_TOKEN_CLAIM_INVALID";
  constructor(claim: string, reason: string) {
    super(reason, { claim });
  }
}

/** RFC 7662 §2.2 `active: false`, or a token of the bridge's own that it does not know (revoked, expired, forged). */
export class TokenInactive extends AuthRefusal {
  override readonly name = "TokenInactive";
  readonly code = "ERR_TOKEN_INACTIVE";
}

/**
 * The identity provider no longer accepts the caller's sign-in for the API (RFC 8693 §2.2.2 / RFC 6749 §5.2
 * `invalid_grant` on the exchange or refresh: revoked, expired, signed out), or the API token of the sign-in expired.
 * Answered, before the MCP response starts (src/mcp/credentials-preflight.ts), with the adapter's `reauthenticate()`
 * 401, so MCP clients re-run their authorization flow.
 */
export class ReauthenticationRequired extends AuthRefusal {
  override readonly name = "ReauthenticationRequired";
  readonly code = "ERR_REAUTHENTICATION_REQUIRED";
  constructor(reason = "the identity provider no longer accepts the caller's sign-in for the API") {
    super(reason);
  }
}

/** The sign-in at the identity provider ended without a user (its callback carried `error=`). */
export class SignInDenied extends AuthRefusal {
  override readonly name = "SignInDenied";
  readonly code = "ERR_SIGN_IN_DENIED";
}

/** An authorization or consent request the bridge's OAuth server refuses (unknown client, redirect URI, form). */
export class AuthorizationRequestInvalid extends AuthRefusal {
  override readonly name = "AuthorizationRequestInvalid";
  readonly code = "ERR_AUTHORIZATION_REQUEST_INVALID";
}

/** Which of the identity provider's endpoints a failure concerns, for the log. */
export type IdpEndpoint = "discovery" | "jwks" | "introspection" | "token" | "authorization";

/** The identity provider could not be reached: network error, time limit, 5xx or 429. Try again later. */
export class IdentityProviderUnavailable extends AuthError {
  override readonly name = "IdentityProviderUnavailable";
  readonly code = "ERR_IDP_UNAVAILABLE";
  constructor(endpoint: IdpEndpoint, reason: string) {
    super(reason, { endpoint });
  }
}

/** The identity provider answered, but not with anything the bridge can use (not the document or token expected). */
export class IdentityProviderResponseInvalid extends AuthError {
  override readonly name = "IdentityProviderResponseInvalid";
  readonly code = "ERR_IDP_RESPONSE_INVALID";
  constructor(endpoint: IdpEndpoint, reason: string) {
    super(reason, { endpoint });
  }
}

/** The identity provider refused the bridge's own request (`invalid_client`, `invalid_scope`, …): its configuration. */
export class IdentityProviderRefused extends AuthError {
  override readonly name = "IdentityProviderRefused";
  readonly code = "ERR_IDP_REFUSED";
  constructor(endpoint: IdpEndpoint, oauthError: string) {
    super(`the identity provider refused the bridge's request at its ${endpoint} endpoint (${oauthError})`, { endpoint, oauthError });
  }
}

/** A Worker secret or binding the configuration names is not set in this deployment. */
export class DeploymentIncomplete extends AuthError {
  override readonly name = "DeploymentIncomplete";
  readonly code = "ERR_DEPLOYMENT_INCOMPLETE";
}

/**
 * The tool-call text for a failure to get a tool's upstream credentials: what the model (and user) can act on,
 * nothing about which check failed.
 */
export function credentialsFailureText(error: AuthError, tool: string): string {
  if (error instanceof ReauthenticationRequired) {
    return `The identity provider no longer accepts the user's sign-in for the API: sign in again, then retry ${tool}.`;
  }
  if (error instanceof IdentityProviderUnavailable) {
    return `The identity provider could not be reached to get access to the API for ${tool}: try again in a moment.`;
  }
  return `Could not get access to the API for ${tool}: the identity provider or the bridge's configuration refused it (the bridge's operator can see why in its log).`;
}
