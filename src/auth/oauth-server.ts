/**
 * The bridge as the OAuth authorization server for MCP clients in front of an upstream OpenID Connect provider
 * (authorization-server family, DESIGN.md decision 3). PingOne and Cloudflare Access for SaaS are both "an OIDC
 * provider upstream": this one adapter serves both, with the provider described by its options (`OidcProvider`:
 * issuer, login scopes, whether it issues the API scopes), which the generator resolved from bridge.yaml. Neither
 * provider has runtime DCR for MCP clients, so the bridge serves it (@cloudflare/workers-oauth-provider, grants in KV
 * `OAUTH_KV`) and is a confidential OpenID Connect client of the provider (oidc-upstream.ts).
 *
 *   handle:       RFC 9728 metadata at /.well-known/oauth-protected-resource[/mcp]
 *                 RFC 8414 metadata, /oauth/token (code, refresh with rotation, revocation), /oauth/register (DCR);
 *                 a rotated-out refresh token used again revokes its grant (refresh-reuse.ts, RFC 9700 §4.14.2)
 *                 the sign-in pages (oauth-server-sign-in.ts):
 *                 GET /authorize   → per-client consent page (or a remembered approval) → redirect to the provider
 *                 POST /authorize  → approve (single-use, browser-bound handle) → redirect to the provider with `state`
 *                 GET /oauth/callback → state checked against this browser, code redeemed, ID token validated → code
 *   authenticate: the bridge's own access token (KV lookup, audience = the MCP resource) → Identity
 *                 scopes: those the provider granted (PingOne), or none when it issues no API scopes (Access for
 *                 SaaS: bridge.yaml's claim rules grant them); claims: email, groups (from the ID token), client_id
 *   credentials:  upstream-token: the provider's access token from the sign-in, refreshed with the MCP refresh token
 *   step-up:      a 403 challenge for scopes the client was not granted, unless the provider refused them at sign-in
 *
 * Loaded on the first request (index.ts, lazy.ts): workers-oauth-provider imports `cloudflare:workers`.
 */
import { OAuthAuthorizationServer, OAuthError } from "@cloudflare/workers-oauth-provider";
import { systemClock } from "../clock.ts";
import { failureFields, jsonLineLog, type Log } from "../log.ts";
import { bearerChallenge, bearerToken, signInAgainChallenge } from "./bearer.ts";
import { clientCredentialsFrom, type ClientCredentials, type ClientEnvNames } from "./client-credentials.ts";
import { AuthError, DeploymentIncomplete, IdentityProviderUnavailable, ReauthenticationRequired, TokenInactive } from "./errors.ts";
import { AUTHORIZE_PATH, createSignInPages, type OidcGrantProps } from "./oauth-server-sign-in.ts";
import { createOidcUpstream, type OidcProvider, type OidcUpstream, type UpstreamTokens } from "./oidc-upstream.ts";
import { failureResponse, refusalOrFailure, RETRY_AFTER_SECONDS } from "./outcomes.ts";
import { createRefreshReuseGuard, type HistoryStore } from "./refresh-reuse.ts";
import { advertisedScopes, createResourceMetadataHandler, resourceMetadataUrl } from "./resource-metadata.ts";
import { noCredentials, type AdapterDeps, type AuthAdapter, type Identity, type StepUp } from "./types.ts";

export const OAUTH_SERVER_PATHS = {
  authorize: AUTHORIZE_PATH,
  token: "/oauth/token",
  register: "/oauth/register",
  callback: "/oauth/callback",
} as const;

type Env = Record<string, unknown>;

/** Resolved by the generator (generated/config.ts) from `identity` (PingOne, or Access mode: saas) and `upstream`. */
export interface OAuthServerOptions {
  /** The bridge's canonical MCP URL (the audience of its own tokens); its origin is the bridge's issuer. */
  readonly resource: string;
  /** The API's name: RFC 9728 `resource_name`, and on the consent page. */
  readonly resourceName: string;
  /** The bridge's confidential client at the provider, as environment variable names. */
  readonly client: ClientEnvNames;
  readonly provider: OidcProvider;
  /** upstream-token: the API gets the provider's access token from the sign-in; none: no credentials. */
  readonly credentials: "upstream-token" | "none";
  /**
   * Accept MCP clients identified by a Client ID Metadata Document (https `client_id` URLs). workers-oauth-provider
   * fetches those only with the compatibility flag `global_fetch_strictly_public`, which keeps the fetches (of URLs
   * clients choose) off private addresses.
   */
  readonly clientIdMetadataDocuments: boolean;
}

type WorkerContext = Parameters<OAuthAuthorizationServer<Env>["fetch"]>[2];

/** Access tokens may not be shorter than KV's minimum expiration (workers-oauth-provider). */
const MIN_TTL_SECONDS = 60;

export function createOAuthServerAdapter(options: OAuthServerOptions, deps: AdapterDeps = {}): AuthAdapter {
  const fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  const clock = deps.clock ?? systemClock;
  const nowSeconds = () => Math.floor(clock.now() / 1000);
  const log = deps.log ?? jsonLineLog;
  const { provider } = options;
  const scopeDefinitions = (deps.scopes ?? []).filter((s) => s.name !== "offline_access");
  const apiScopes = advertisedScopes(scopeDefinitions.map((s) => s.name));
  const origin = new URL(options.resource).origin;
  const challenge = { resourceMetadata: resourceMetadataUrl(options.resource), scopes: apiScopes };

  const serveMetadata = createResourceMetadataHandler({
    resource: options.resource,
    issuer: origin,
    scopes: apiScopes,
    resourceName: options.resourceName,
  });
  // The flag is wrangler.jsonc's, which bridge.yaml does not see: without it the library leaves CIMD off (clients that
  // identify by a document cannot sign in), so the operator is told once, here, rather than the Worker refusing to start.
  if (options.clientIdMetadataDocuments && !fetchIsStrictlyPublic()) {
    const missing = new DeploymentIncomplete(
      'identity.clientIdMetadataDocuments needs the compatibility flag global_fetch_strictly_public in wrangler.jsonc "compatibility_flags"',
    );
    log({ event: "adapter_started", ...failureFields(missing) });
  }

  /** One upstream client per client id (the issuer may end in it, and the id is a secret that can rotate). */
  const upstreams = new Map<string, OidcUpstream>();
  const upstreamFor = (credentials: ClientCredentials): OidcUpstream => {
    let upstream = upstreams.get(credentials.clientId);
    if (!upstream) {
      upstream = createOidcUpstream({
        provider,
        clientId: credentials.clientId,
        redirectUri: new URL(OAUTH_SERVER_PATHS.callback, origin).href,
        fetch: fetchImpl,
        clock,
      });
      upstreams.set(credentials.clientId, upstream);
    }
    return upstream;
  };

  const clientCredentials = (env: Env): ClientCredentials => clientCredentialsFrom(options.client, env);

  const ttlFor = (upstreamTokens: UpstreamTokens): number =>
    Math.max(MIN_TTL_SECONDS, upstreamTokens.expiresAt - nowSeconds());

  const authorizationServer = new OAuthAuthorizationServer<Env>({
    issuer: origin,
    // Client ID Metadata Documents (MCP 2025-11-25 "Client Registration"): a client's https `client_id` is the URL of
    // its metadata, fetched by the library; it then gets the same per-client consent as a registered client.
    clientIdMetadataDocumentEnabled: options.clientIdMetadataDocuments,
    resources: [options.resource],
    authorizeEndpoint: OAUTH_SERVER_PATHS.authorize,
    tokenEndpoint: OAUTH_SERVER_PATHS.token,
    clientRegistrationEndpoint: OAUTH_SERVER_PATHS.register,
    scopesSupported: apiScopes,
    // The MCP access token lives no longer than the provider's token it carries (tokenExchangeCallback sets the exact TTL).
    tokenExchangeCallback: async ({ grantType, props, env }) => {
      const grant = props as OidcGrantProps;
      if (grantType === "authorization_code") {
        return { accessTokenProps: withoutRefreshToken(grant), accessTokenTTL: ttlFor(grant.upstream) };
      }
      if (grantType !== "refresh_token") return undefined;
      if (!grant.upstream.refreshToken) {
        // No upstream refresh token (offline_access not granted): usable only while the provider's token lasts.
        if (grant.upstream.expiresAt - nowSeconds() >= MIN_TTL_SECONDS) {
          return { accessTokenProps: withoutRefreshToken(grant), accessTokenTTL: ttlFor(grant.upstream) };
        }
        throw new OAuthError("invalid_grant", { description: "The sign-in has expired: sign in again" });
      }
      let refreshed;
      try {
        const credentials = clientCredentials(env);
        refreshed = await upstreamFor(credentials).refresh(credentials, grant.upstream.refreshToken);
      } catch (error) {
        if (!(error instanceof AuthError)) throw error;
        log({ event: "refresh_failed", ...failureFields(error) });
        if (error instanceof ReauthenticationRequired) {
          // Revokes this grant and its tokens: the MCP client re-authorizes instead of retrying forever.
          throw new OAuthError("invalid_grant", { description: "The identity provider no longer accepts this sign-in" });
        }
        if (error instanceof IdentityProviderUnavailable) {
          throw new OAuthError("temporarily_unavailable", {
            description: "The identity provider could not be reached; try again",
            statusCode: 503,
            headers: { "retry-after": String(RETRY_AFTER_SECONDS) },
          });
        }
        throw new OAuthError("server_error", { description: "The sign-in could not be refreshed", statusCode: 500 });
      }
      const { grantedScopes, ...tokens } = refreshed;
      const scopes = grantedScopes && provider.issuesApiScopes ? grant.scopes.filter((s) => grantedScopes.includes(s)) : grant.scopes;
      // Scopes the provider stopped granting join those it refused: the account no longer has them.
      const refused = [...new Set([...(grant.refused ?? []), ...grant.scopes.filter((s) => !scopes.includes(s))])];
      const next: OidcGrantProps = { ...grant, scopes, ...(refused.length > 0 && { refused }), upstream: tokens };
      return {
        newProps: next,
        accessTokenProps: withoutRefreshToken(next),
        accessTokenTTL: ttlFor(tokens),
        accessTokenScope: [...scopes],
      };
    },
  });

  const guardRefresh = createRefreshReuseGuard({ clock, log });

  const signIn = createSignInPages({
    authorizationServer,
    upstreamFor,
    clientCredentials,
    apiScopes,
    scopeDefinitions,
    issuesApiScopes: provider.issuesApiScopes,
    apiName: options.resourceName,
    log,
  });

  const ownsPath = (path: string) =>
    path.startsWith("/.well-known/oauth-authorization-server") ||
    path === OAUTH_SERVER_PATHS.token ||
    path === OAUTH_SERVER_PATHS.register ||
    path.startsWith(`${OAUTH_SERVER_PATHS.register}/`);

  return {
    async handle(request, env) {
      const metadata = serveMetadata(request);
      if (metadata) return metadata;
      const path = new URL(request.url).pathname;
      const isAuthorize = path === OAUTH_SERVER_PATHS.authorize;
      const isCallback = path === OAUTH_SERVER_PATHS.callback;
      if (!isAuthorize && !isCallback && !ownsPath(path)) return undefined;
      const missing = missingStorage(env);
      if (missing) {
        log({ event: "authorize_failed", ...failureFields(missing) });
        return failureResponse(missing);
      }
      if (isAuthorize && request.method === "GET") return signIn.showConsent(request, env);
      if (isAuthorize && request.method === "POST") return signIn.approve(request, env);
      if (isCallback && request.method === "GET") return signIn.callback(request, env);
      if (isAuthorize || isCallback) return new Response(null, { status: 405, headers: { allow: isAuthorize ? "GET, POST" : "GET" } });
      const library = (forwarded: Request) => authorizationServer.fetch(forwarded, env, executionContext(log));
      if (path !== OAUTH_SERVER_PATHS.token) return library(request);
      // RFC 9700 §4.14.2: a rotated-out refresh token used again revokes its grant (refresh-reuse.ts says why here).
      return guardRefresh(request, {
        store: env["OAUTH_KV"] as HistoryStore,
        revokeGrant: (grantId, userId) => authorizationServer.getOAuthApi(env).revokeGrant(grantId, userId),
        next: library,
      });
    },

    async authenticate(request, env) {
      let validated;
      try {
        const token = bearerToken(request, OWN_TOKEN);
        const missing = missingStorage(env);
        if (missing) throw missing;
        // A KV failure here is not caught: it is the platform's, and ends as the bridge's 500 with its reason logged.
        validated = await authorizationServer.validateToken<OidcGrantProps>(options.resource, token, env);
        const props = validated?.props;
        if (!validated || !props || typeof props.sub !== "string" || !props.upstream?.accessToken) {
          throw new TokenInactive("not a live token of this bridge (unknown, revoked, expired, or for another resource)");
        }
      } catch (error) {
        return refusalOrFailure(error, (refusal) => bearerChallenge(refusal, challenge));
      }
      const props = validated.props;
      const claims: Record<string, unknown> = { client_id: validated.clientId };
      if (props.email) claims["email"] = props.email;
      if (props.groups?.length) claims["groups"] = [...props.groups];
      const caller: Identity = {
        subject: props.sub,
        // A provider that issues no API scopes: the approved scopes are the client's consent, not the user's rights;
        // bridge.yaml's claim rules grant rights, within that consent (policy effectiveScopes).
        scopes: provider.issuesApiScopes ? validated.scope.filter((s) => apiScopes.includes(s)) : [],
        ...(!provider.issuesApiScopes && { consentedScopes: validated.scope.filter((s) => apiScopes.includes(s)) }),
        claims,
      };
      const upstreamToken = props.upstream;
      // The bridge is the OAuth server: a scope the provider never refused this sign-in can be granted by signing in
      // again (the client consented to less); one it refused cannot (DESIGN.md decision 5, src/mcp/step-up.ts).
      const stepUp: StepUp = { challenge: async (missing) => !missing.some((scope) => props.refused?.includes(scope)) };
      if (options.credentials === "none") return { ok: true, identity: caller, credentials: noCredentials, stepUp };
      return {
        ok: true,
        identity: caller,
        stepUp,
        credentials: {
          async headersFor() {
            if (upstreamToken.expiresAt <= nowSeconds()) {
              throw new ReauthenticationRequired("the identity provider's token of this sign-in has expired");
            }
            return { authorization: `Bearer ${upstreamToken.accessToken}` };
          },
        },
      };
    },

    // The upstream token this grant holds has expired (the MCP token outlived it): 401, so the client refreshes its
    // token, which refreshes the upstream one too (tokenExchangeCallback), or signs the user in again.
    reauthenticate() {
      return signInAgainChallenge(challenge);
    },
  };
}

/**
 * workers-oauth-provider's tokens are `<userId>:<grantId>:<secret>`: ':' (and '%' from the encoded user id) are not
 * b64token characters (RFC 6750 §2.1), so they are accepted here on top of bearer.ts's reading.
 */
const OWN_TOKEN = /^Bearer +([A-Za-z0-9\-._~+/:%]+=*) *$/i;

/** Grants, clients and consent live in KV: without the binding nothing here can work (a deployment mistake). */
function missingStorage(env: Env): DeploymentIncomplete | undefined {
  return env["OAUTH_KV"] ? undefined : new DeploymentIncomplete("the Worker has no OAUTH_KV binding (a KV namespace in wrangler.jsonc)");
}

/** workerd's compatibility flags, as the Worker runs with them. */
function fetchIsStrictlyPublic(): boolean {
  const flags = (globalThis as { Cloudflare?: { compatibilityFlags?: Record<string, boolean> } }).Cloudflare?.compatibilityFlags;
  return flags?.["global_fetch_strictly_public"] === true;
}

function withoutRefreshToken(props: OidcGrantProps): OidcGrantProps {
  const { refreshToken: _dropped, ...upstream } = props.upstream;
  return { ...props, upstream };
}

/**
 * The adapter's seam has no ExecutionContext; the authorization server's endpoints do not need one. What the library
 * leaves running (grant cleanup) is awaited by nobody, so its failure is logged here.
 */
function executionContext(log: Log): WorkerContext {
  return {
    waitUntil(promise: Promise<unknown>) {
      promise.catch((error: unknown) => log({ event: "background_task_failed", ...failureFields(error) }));
    },
    passThroughOnException() {},
    props: {},
  } as unknown as WorkerContext;
}
