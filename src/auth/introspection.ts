/**
 * RFC 7662 token introspection for reference (opaque) tokens, with the bridge's own client credentials, and a short
 * per-isolate cache so a burst of MCP requests with one token makes one introspection call.
 */
import {
  allowInsecureRequests,
  ClientSecretBasic,
  customFetch,
  introspectionRequest,
  processIntrospectionResponse,
  type IntrospectionResponse,
} from "oauth4webapi";
import { withTimeout, type Clock } from "../clock.ts";
import type { ClientCredentials } from "./client-credentials.ts";
import { isLoopbackHttp } from "./endpoints.ts";
import { TokenClaimInvalid, TokenExpired, TokenInactive } from "./errors.ts";
import { sha256 } from "./hash.ts";
import { IDP_TIMEOUT_MS, idpError, idpFetch } from "./idp-errors.ts";
import { CLOCK_TOLERANCE_SECONDS } from "./jwt-validator.ts";

export interface IntrospectionOptions {
  readonly issuer: string;
  readonly audience: string;
  readonly endpoint: () => Promise<string>;
  readonly clientCredentials: (env: Record<string, unknown>) => ClientCredentials;
  readonly fetch: typeof fetch;
  /** For `exp`/`nbf`, the cache, and the request's time limit. */
  readonly clock: Clock;
}

/** Active results are reused for at most this long (and never past the token's `exp`). */
export const INTROSPECTION_CACHE_MS = 30_000;
const MAX_ENTRIES = 1_000;

const cache = new Map<string, { readonly claims: IntrospectionResponse; readonly until: number }>();

/** For tests. */
export function clearIntrospectionCache(): void {
  cache.clear();
}

/** Resolves to the active token's claims, or rejects with an AuthError (a refusal, or the provider's failure). */
export function createIntrospectionValidator(options: IntrospectionOptions) {
  return async function validate(token: string, env: Record<string, unknown>): Promise<IntrospectionResponse> {
    const now = options.clock.now();
    const key = `${options.issuer}|${options.audience}|${await sha256(token)}`;
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.claims;
    cache.delete(key);

    const claims = await introspect(token, env);
    if (!claims.active) throw new TokenInactive("introspection says active: false"); // RFC 7662 §2.2: reject
    // RFC 7662 §4: the resource server must check the token is meant for it (issuer and audience).
    if (claims.iss !== undefined && claims.iss !== options.issuer) throw new TokenClaimInvalid("iss", "introspection names another issuer");
    const audiences = typeof claims.aud === "string" ? [claims.aud] : Array.isArray(claims.aud) ? claims.aud : [];
    if (!audiences.includes(options.audience)) throw new TokenClaimInvalid("aud", "the token is not for this resource (RFC 8707 §2)");
    const skew = CLOCK_TOLERANCE_SECONDS * 1000;
    if (typeof claims.exp === "number" && claims.exp * 1000 + skew <= now) throw new TokenExpired("introspection gives a past exp");
    if (typeof claims.nbf === "number" && claims.nbf * 1000 - skew > now) throw new TokenClaimInvalid("nbf", "the token is not valid yet");
    if (typeof claims.sub !== "string" || claims.sub === "") throw new TokenClaimInvalid("sub", "introspection gives no subject");

    const until = Math.min(now + INTROSPECTION_CACHE_MS, typeof claims.exp === "number" ? claims.exp * 1000 : Infinity);
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(key, { claims, until });
    return claims;
  };

  async function introspect(token: string, env: Record<string, unknown>): Promise<IntrospectionResponse> {
    const { clientId, clientSecret } = options.clientCredentials(env);
    const endpoint = await options.endpoint();
    const as = { issuer: options.issuer, introspection_endpoint: endpoint };
    const client = { client_id: clientId };
    try {
      return await withTimeout(options.clock, IDP_TIMEOUT_MS, async (signal) => {
        const response = await introspectionRequest(as, client, ClientSecretBasic(clientSecret), token, {
          [customFetch]: idpFetch(options.fetch, "introspection"),
          [allowInsecureRequests]: isLoopbackHttp(endpoint),
          signal,
        });
        return processIntrospectionResponse(as, client, response);
      });
    } catch (error) {
      throw idpError(error, "introspection");
    }
  }
}
