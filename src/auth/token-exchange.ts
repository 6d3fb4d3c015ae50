/**
 * RFC 8693 token exchange: the caller's token (issued for the bridge) is exchanged at the token endpoint for a token
 * for the API, down-scoped to the tool's scopes the caller holds. The caller's own token is never sent upstream.
 *
 * Exchanged tokens are cached per isolate by (SHA-256 of the subject token, sorted scope set) until 60 s before they
 * expire, and concurrent misses for one key share one request (pitfall 8).
 */
import {
  allowInsecureRequests,
  ClientSecretBasic,
  customFetch,
  genericTokenEndpointRequest,
  processGenericTokenEndpointResponse,
  ResponseBodyError,
  type TokenEndpointResponse,
} from "oauth4webapi";
import { withTimeout, type Clock } from "../clock.ts";
import type { ClientCredentials } from "./client-credentials.ts";
import { isLoopbackHttp } from "./endpoints.ts";
import { IdentityProviderResponseInvalid, ReauthenticationRequired } from "./errors.ts";
import { sha256 } from "./hash.ts";
import { IDP_TIMEOUT_MS, idpError, idpFetch } from "./idp-errors.ts";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
/** A cached token is used only while it has at least this long left. */
export const EXPIRY_MARGIN_MS = 60_000;
const MAX_ENTRIES = 1_000;

export interface TokenExchangeOptions {
  readonly issuer: string;
  readonly tokenEndpoint: () => Promise<string>;
  readonly clientCredentials: (env: Record<string, unknown>) => ClientCredentials;
  /** RFC 8693 §2.1 `resource` (RFC 8707) and/or `audience` of the token to obtain. */
  readonly resource?: string;
  readonly audience?: string;
  readonly fetch: typeof fetch;
  /** For the cache's expiry and the request's time limit. */
  readonly clock: Clock;
}

export interface ExchangeRequest {
  readonly subjectToken: string;
  readonly scopes: readonly string[];
  readonly env: Record<string, unknown>;
}

const cache = new Map<string, { readonly token: string; readonly expiresAt: number }>();
const inFlight = new Map<string, Promise<string>>();

/** For tests. */
export function clearTokenExchangeCache(): void {
  cache.clear();
  inFlight.clear();
}

/** Resolves to the API token, or rejects with an AuthError (ReauthenticationRequired on `invalid_grant`). */
export function createTokenExchanger(options: TokenExchangeOptions) {
  // A client sends the same token on every request until it expires: its hash is worked out once, not per tool call
  // (tokens are held here as the verified-token cache holds them, bounded alike: verified-tokens.ts).
  const subjectHashes = new Map<string, Promise<string>>();
  const subjectHash = (token: string): Promise<string> => {
    let hash = subjectHashes.get(token);
    if (hash === undefined) {
      if (subjectHashes.size >= MAX_ENTRIES) subjectHashes.delete(subjectHashes.keys().next().value!);
      subjectHashes.set(token, (hash = sha256(token)));
    }
    return hash;
  };
  return async function exchange(request: ExchangeRequest): Promise<string> {
    const scopes = [...new Set(request.scopes)].sort();
    const key = [
      options.issuer,
      options.resource ?? "",
      options.audience ?? "",
      await subjectHash(request.subjectToken),
      scopes.join(" "),
    ].join("|");
    const hit = cache.get(key);
    if (hit && hit.expiresAt - EXPIRY_MARGIN_MS > options.clock.now()) return hit.token;
    if (hit) cache.delete(key);

    let pending = inFlight.get(key);
    if (!pending) {
      pending = perform(request.subjectToken, scopes, request.env).then((result) => {
        if (result.expiresAt !== undefined) remember(key, result.token, result.expiresAt);
        return result.token;
      });
      inFlight.set(key, pending);
      const clear = () => inFlight.delete(key);
      pending.then(clear, clear);
    }
    return pending;
  };

  async function perform(subjectToken: string, scopes: readonly string[], env: Record<string, unknown>) {
    const { clientId, clientSecret } = options.clientCredentials(env);
    const tokenEndpoint = await options.tokenEndpoint();
    const as = { issuer: options.issuer, token_endpoint: tokenEndpoint };
    const client = { client_id: clientId };
    // RFC 8693 §2.1: the request parameters.
    const parameters = new URLSearchParams({
      subject_token: subjectToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      requested_token_type: ACCESS_TOKEN_TYPE,
    });
    if (options.resource) parameters.set("resource", options.resource);
    if (options.audience) parameters.set("audience", options.audience);
    // RFC 8693 §2.1 `scope`: only the tool's scopes the caller holds (least privilege).
    if (scopes.length > 0) parameters.set("scope", scopes.join(" "));
    const started = options.clock.now();
    let result: TokenEndpointResponse;
    try {
      result = await withTimeout(options.clock, IDP_TIMEOUT_MS, async (signal) => {
        // RFC 8693 §2.1 / RFC 6749 §2.3.1: the bridge authenticates as a confidential client (client_secret_basic).
        const response = await genericTokenEndpointRequest(as, client, ClientSecretBasic(clientSecret), TOKEN_EXCHANGE_GRANT, parameters, {
          [customFetch]: idpFetch(options.fetch, "token"),
          [allowInsecureRequests]: isLoopbackHttp(tokenEndpoint),
          signal,
        });
        return processGenericTokenEndpointResponse(as, client, response);
      });
    } catch (error) {
      // RFC 8693 §2.2.2: invalid_grant = the subject token is not acceptable (expired, revoked): sign in again.
      if (error instanceof ResponseBodyError && error.error === "invalid_grant") {
        throw new ReauthenticationRequired("the identity provider refused to exchange the caller's token (invalid_grant)");
      }
      // Never chained: the original error may hold the request, and with it the subject token.
      throw idpError(error, "token");
    }
    // RFC 8693 §2.2.1: issued_token_type is required; we asked for an access token and accept nothing else.
    if (result.issued_token_type !== undefined && result.issued_token_type !== ACCESS_TOKEN_TYPE) {
      throw new IdentityProviderResponseInvalid("token", "the exchange issued a token of another type than requested");
    }
    if (result.token_type !== "bearer") {
      throw new IdentityProviderResponseInvalid("token", "the exchange issued a token that is not a bearer token");
    }
    const expiresAt = typeof result.expires_in === "number" ? started + result.expires_in * 1000 : undefined;
    return { token: result.access_token, expiresAt };
  }
}

function remember(key: string, token: string, expiresAt: number): void {
  if (cache.size >= MAX_ENTRIES) {
    // Insertion order: the first key is the oldest entry.
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, { token, expiresAt });
}
