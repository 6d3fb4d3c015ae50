/**
 * The seam between authentication and everything after it (DESIGN.md decision 3). An auth adapter (PingFederate,
 * PingOne, Cloudflare Access: one module each under src/auth/) turns a request into an identity and a way to get
 * credentials for the upstream API, or into the standards-correct response that refuses it. Nothing outside
 * src/auth/ knows which provider is in use.
 */
import type { Clock } from "../clock.ts";
import type { BridgeError } from "../errors.ts";
import type { Log } from "../log.ts";
import type { ToolDefinition } from "../tools/types.ts";

/** Who is calling, established from this request's own credentials (decision 1: never from session state). */
export interface Identity {
  /** Stable subject identifier (`sub`, or the Access identity). Never a token. */
  readonly subject: string;
  /** Scopes the caller's token carries, as a set of exact strings (a space-separated claim already split). */
  readonly scopes: readonly string[];
  /** Claims the policy may match (email, groups, …). Never includes tokens. */
  readonly claims: Readonly<Record<string, unknown>>;
  /**
   * The scopes the MCP client was granted when the user consented (the bridge as OAuth server, for providers that
   * issue no API scopes): claim rules may grant scopes only within these. Absent: no consent step bounds them.
   */
  readonly consentedScopes?: readonly string[];
}

/**
 * Credentials for one upstream call, as headers (e.g. `authorization: Bearer …` from an RFC 8693 exchange). `tool` is
 * passed so an adapter can down-scope to the tool's scopes. The values are secrets: callers never log or return them.
 * Fails with an AuthError (errors.ts); anything else it throws is a bug.
 */
export interface UpstreamCredentials {
  headersFor(tool: ToolDefinition, grantedScopes: readonly string[]): Promise<Record<string, string>>;
}

/**
 * How a call beyond the caller's scopes ends (DESIGN.md decision 5): with the HTTP 403 `insufficient_scope` challenge
 * only where an OAuth server could grant the missing scopes to this caller, and not again to a caller who stepped up
 * for them and was refused; otherwise with a tool error saying the account does not have them. An adapter with no
 * OAuth server for MCP clients (Access, self-hosted) gives none: its callers are never challenged.
 */
export interface StepUp {
  /**
   * Whether signing in again could give this caller `missing` (scopes its credentials lack). `true` may be recorded
   * (PingFederate remembers the challenge, so a token issued after it that still lacks them is a refusal).
   */
  challenge(missing: readonly string[]): Promise<boolean>;
}

export type AuthOutcome =
  | {
      readonly ok: true;
      readonly identity: Identity;
      readonly credentials: UpstreamCredentials;
      /** Absent: no step-up is possible for this caller (see StepUp). */
      readonly stepUp?: StepUp;
    }
  /**
   * A complete answer, e.g. 401 with `WWW-Authenticate` (RFC 6750 §3), and why (for the log hook: the answer itself
   * never says which check failed).
   */
  | { readonly ok: false; readonly response: Response; readonly error: BridgeError };

export interface AuthAdapter {
  authenticate(request: Request, env: Record<string, unknown>): Promise<AuthOutcome>;
  /**
   * Requests the adapter serves itself before any MCP handling (RFC 9728 metadata, OAuth endpoints, login
   * callbacks); undefined when the request is not one of them.
   */
  handle?(request: Request, env: Record<string, unknown>): Promise<Response | undefined>;
  /**
   * The refusal for a caller whose credentials threw `ReauthenticationRequired` (the identity provider no longer
   * accepts the sign-in for the API): a 401 that makes MCP clients sign the user in again (RFC 6750 §3.1
   * `invalid_token`). Adapters whose credentials never throw it leave it out.
   */
  reauthenticate?(): Response;
}

/** What every adapter takes besides its options: the API's scopes and the Worker's I/O. */
export interface AdapterDeps {
  /**
   * The API's scopes (generated/policy.ts): advertised in RFC 9728 metadata, named in RFC 6750 challenges, described on
   * the consent page.
   */
  readonly scopes?: readonly { readonly name: string; readonly description?: string }[];
  /** Every request an adapter makes to the identity provider (discovery, keys, token endpoint, introspection). */
  readonly fetch?: typeof fetch;
  /** Time for validators, caches and time limits (default: the Worker's clock). */
  readonly clock?: Clock;
  /** Where failures inside the adapter's own endpoints are reported (authenticate's are in its outcome). */
  readonly log?: Log;
}

/** Upstream credentials for APIs that need none (`upstream.credentials: none`). */
export const noCredentials: UpstreamCredentials = {
  headersFor: async () => ({}),
};
