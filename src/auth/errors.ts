/**
 * Typed errors of the auth adapters. Messages are generic on purpose: they never carry a token, a secret or which
 * validation check failed.
 */

/**
 * The identity provider refused to exchange the caller's token (RFC 8693 §2.2.2 `invalid_grant`: revoked, expired,
 * or not exchangeable). The caller must sign in again.
 *
 * The runtime obtains a tools/call's credentials before the MCP response begins (src/mcp/credentials-preflight.ts)
 * and answers this with the adapter's `reauthenticate()` 401, so MCP clients re-run their authorization flow.
 */
export class ReauthenticationRequired extends Error {
  override readonly name = "ReauthenticationRequired";
  readonly code = "invalid_grant";
  constructor() {
    super("the identity provider no longer accepts the caller's sign-in for the API: sign in again");
  }
}

/** The upstream credentials could not be obtained for another reason (IdP down, misconfiguration, bad response). */
export class UpstreamCredentialsError extends Error {
  override readonly name = "UpstreamCredentialsError";
}

/** The identity provider could not be reached to validate a token (discovery, JWKS or introspection failed). */
export class ValidatorUnavailable extends Error {
  override readonly name = "ValidatorUnavailable";
}
