/**
 * A test auth adapter. It stands in for the provider adapters (PingFederate, PingOne, Cloudflare Access: the next
 * milestone) through the same `AuthAdapter` interface, so the runtime is exercised exactly as it will be with them:
 *
 * - the caller presents `Authorization: Bearer <JWT>`, RS256-signed by the test issuer for the bridge's resource
 *   (`aud` = identity.resource); `sub` and `scope` give the identity; a verified token is remembered as the
 *   PingFederate adapter remembers it (src/auth/verified-tokens.ts), so the benchmark pays what a deployment pays;
 * - no credentials → 401 `WWW-Authenticate: Bearer resource_metadata="…"` with no error code (RFC 6750 §3.1); a bad
 *   token → 401 with `error="invalid_token"`;
 * - upstream credentials are a NEW short-lived JWT per call (aud = the API, scope = the scopes granted for the tool,
 *   sub = the caller), as an RFC 8693 token exchange would return: the client's own token never reaches the API.
 *
 * Web APIs and jose only: it runs in workerd (test/runtime/worker.ts) and in Node (the CPU benchmark).
 */
import { getOAuthProtectedResourceMetadataUrl } from "@modelcontextprotocol/server";
import { importJWK, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey } from "jose";
import { MalformedCredentials, NoCredentials, TokenClaimInvalid, TokenSignatureInvalid, type AuthRefusal } from "../../src/auth/errors.ts";
import type { AuthAdapter, AuthOutcome } from "../../src/auth/types.ts";
import { systemClock } from "../../src/clock.ts";
import type { RuntimeConfig } from "../../src/config/runtime.ts";
import { rememberVerifiedTokens } from "../../src/auth/verified-tokens.ts";

export interface TestAuthOptions {
  /** The issuer of client tokens and of minted upstream tokens. */
  issuer: string;
  /** The bridge's canonical MCP URL: the `aud` client tokens must carry. */
  resource: string;
  /** Verifies client tokens (a remote or local JWKS). */
  keys: JWTVerifyGetKey;
  /** Signs the upstream tokens (a private JWK with `kid`). */
  signingKey: JWK;
  /** The `aud` of upstream tokens (bridge.yaml `upstream.audience`). */
  upstreamAudience: string;
  /** Lifetime of an upstream token, in seconds. */
  upstreamTtlSeconds?: number;
  /**
   * Reuse a minted token for the same subject and scopes for this many seconds (as a deployment caches RFC 8693
   * exchanges); 0 (the default, what the tests use) mints a new token for every call. For the benchmark.
   */
  reuseSeconds?: number;
  /** Told about every upstream token minted (the test Worker records a hash of it). */
  onMint?: (token: string) => void;
  /** The scopes advertised in the 401 challenge and the protected resource metadata. */
  scopesSupported?: readonly string[];
}

/**
 * The bridge's canonical MCP URL and the audience its token exchange asks for, read from a resolved config (the
 * sample's generated/config.ts: PingFederate with token exchange; "" when the config exchanges nothing).
 */
export function exchangeTarget(config: RuntimeConfig): { resource: string; upstreamAudience: string } {
  const { auth } = config;
  const exchange = auth.adapter === "pingfederate" && auth.options.credentials.kind === "token-exchange" ? auth.options.credentials : undefined;
  return { resource: auth.options.resource, upstreamAudience: exchange?.audience ?? exchange?.resource ?? "" };
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function createTestAuthAdapter(options: TestAuthOptions): AuthAdapter {
  const resource = new URL(options.resource);
  const metadataUrl = getOAuthProtectedResourceMetadataUrl(resource);
  const metadataPath = new URL(metadataUrl).pathname;
  const scopes = options.scopesSupported ?? [];
  let signing: ReturnType<typeof importJWK> | undefined;
  const verify = rememberVerifiedTokens(
    async (token: string) =>
      (
        await jwtVerify(token, options.keys, {
          issuer: options.issuer,
          audience: resource.href, // RFC 8707: only tokens issued for this resource
          algorithms: ["RS256"],
          requiredClaims: ["exp", "sub"],
        })
      ).payload,
    { clock: systemClock },
  );

  const challenge = (error?: string): Response => {
    const parts = [`Bearer resource_metadata="${metadataUrl}"`];
    if (scopes.length > 0) parts.push(`scope="${scopes.join(" ")}"`);
    // RFC 6750 §3.1: no error code when the request carried no credentials; invalid_token otherwise.
    if (error) parts.push(`error="${error}"`);
    return Response.json(
      { error: error ?? "unauthorized", error_description: error ? "The access token is invalid." : "An access token is required." },
      { status: 401, headers: { "www-authenticate": parts.join(", "), "cache-control": "no-store" } },
    );
  };

  const ttl = options.upstreamTtlSeconds ?? 60;
  const reused = new Map<string, { token: string; until: number }>();
  const mint = async (subject: string, granted: readonly string[]): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const key = JSON.stringify([subject, granted]);
    const kept = reused.get(key);
    if (kept && kept.until > now) return kept.token;
    signing ??= importJWK(options.signingKey, "RS256");
    const token = await new SignJWT({ scope: granted.join(" "), act: { sub: "mcp-bridge-test" } })
      .setProtectedHeader({ alg: "RS256", kid: options.signingKey.kid ?? "test", typ: "at+jwt" })
      .setIssuer(options.issuer)
      .setAudience(options.upstreamAudience)
      .setSubject(subject)
      .setIssuedAt(now)
      .setExpirationTime(now + ttl)
      .setJti(crypto.randomUUID())
      .sign(await signing);
    options.onMint?.(token);
    // Never past the token's own lifetime (less a margin for the call to reach the API).
    if (options.reuseSeconds) reused.set(key, { token, until: Math.min(now + options.reuseSeconds, now + ttl - 10) });
    return token;
  };

  return {
    async handle(request) {
      const path = new URL(request.url).pathname;
      if (request.method !== "GET" || (path !== metadataPath && path !== "/.well-known/oauth-protected-resource")) return undefined;
      // RFC 9728 §3.2.
      return Response.json({
        resource: resource.href,
        authorization_servers: [options.issuer],
        scopes_supported: scopes,
        bearer_methods_supported: ["header"],
      });
    },

    async authenticate(request): Promise<AuthOutcome> {
      const authorization = request.headers.get("authorization");
      const refuse = (error: AuthRefusal, code?: string): AuthOutcome => ({ ok: false, response: challenge(code), error });
      if (authorization === null || !/^Bearer(\s|$)/i.test(authorization)) return refuse(new NoCredentials("no bearer token"));
      const token = BEARER.exec(authorization)?.[1];
      if (token === undefined) return refuse(new MalformedCredentials("not a b64token"), "invalid_token");
      let payload;
      try {
        payload = await verify(token, undefined);
      } catch (error) {
        // A test stand-in: every verification failure is the one refusal (the real adapters sort them, idp-errors.ts).
        return refuse(new TokenSignatureInvalid(error instanceof Error ? error.message : "not verified"), "invalid_token");
      }
      const subject = payload.sub;
      if (typeof subject !== "string" || subject === "") return refuse(new TokenClaimInvalid("sub", "no subject"), "invalid_token");
      const scope = typeof payload["scope"] === "string" ? payload["scope"] : "";
      const identity = {
        subject,
        scopes: scope.split(" ").filter((s) => s !== ""),
        claims: Object.fromEntries(Object.entries(payload).filter(([name]) => ["sub", "email", "groups", "client_id"].includes(name))),
      };
      return {
        ok: true,
        identity,
        credentials: {
          headersFor: async (_tool, granted) => ({ authorization: `Bearer ${await mint(subject, granted)}` }),
        },
        // It stands in for an authorization server that could grant more: a missing scope is challenged.
        stepUp: { challenge: async () => true },
      };
    },
  };
}
