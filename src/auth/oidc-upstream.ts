/**
 * The bridge as a confidential OpenID Connect client of an upstream identity provider (PingOne, Cloudflare Access for
 * SaaS): discovery of the issuer, the authorization request (code + PKCE S256 + nonce + RFC 8707 `resource` = the API,
 * `acr_values` when configured), the code exchange with ID token validation, and refreshing the upstream tokens.
 * oauth4webapi does the protocol checks; this module only wires them.
 */
import {
  allowInsecureRequests,
  authorizationCodeGrantRequest,
  calculatePKCECodeChallenge,
  ClientSecretBasic,
  customFetch,
  discoveryRequest,
  generateRandomCodeVerifier,
  generateRandomNonce,
  getValidatedIdTokenClaims,
  processAuthorizationCodeResponse,
  processDiscoveryResponse,
  processRefreshTokenResponse,
  refreshTokenGrantRequest,
  ResponseBodyError,
  validateAuthResponse,
  type AuthorizationServer,
  type Client,
  type TokenEndpointResponse,
} from "oauth4webapi";
import { withTimeout, type Clock } from "../clock.ts";
import type { ClientCredentials } from "./client-credentials.ts";
import { isLoopbackHttp } from "./endpoints.ts";
import { IdentityProviderResponseInvalid, ReauthenticationRequired } from "./errors.ts";
import type { IdpEndpoint } from "./errors.ts";
import { IDP_TIMEOUT_MS, idpError, idpFetch } from "./idp-errors.ts";

/** The upstream OpenID provider as the generator resolved it from bridge.yaml (PingOne, Access for SaaS). */
export interface OidcProvider {
  /**
   * The provider's issuer. With `issuerEndsWithClientId`, the issuer up to the bridge's client id, which follows it as
   * one more path segment (Access for SaaS: `<team>/cdn-cgi/access/sso/oidc/<client id>`, the id being a Worker secret).
   */
  readonly issuer: string;
  readonly issuerEndsWithClientId?: boolean;
  /** The authorization and token endpoints as paths below the issuer; absent: from OpenID Connect discovery. */
  readonly endpoints?: { readonly authorization: string; readonly token: string };
  /** OIDC scopes asked at login besides the API scopes. */
  readonly loginScopes: readonly string[];
  /** DaVinci policy (PingOne), sent as `acr_values`. */
  readonly acrValues?: string;
  /** RFC 8707 `resource` of the upstream access token (the API); not sent when absent. */
  readonly resource?: string;
  /**
   * true: the API scopes are asked of the provider, and the identity holds those it granted (PingOne).
   * false: the provider issues no API scopes; the identity has `scopes: []` and claim rules grant them (Access).
   */
  readonly issuesApiScopes: boolean;
}

/** The provider's issuer for the bridge's client. */
export function issuerFor(provider: OidcProvider, clientId: string): string {
  return provider.issuerEndsWithClientId ? `${provider.issuer}/${encodeURIComponent(clientId)}` : provider.issuer;
}

export interface OidcUpstreamOptions {
  readonly provider: OidcProvider;
  /** The bridge's client id at the provider (the issuer may end in it). */
  readonly clientId: string;
  /** The bridge's callback at the IdP (registered there as the client's redirect URI). */
  readonly redirectUri: string;
  readonly fetch: typeof fetch;
  /** For the tokens' expiry and the requests' time limit. */
  readonly clock: Clock;
}

/** Kept server-side between the redirect to the IdP and its callback (encrypted by workers-oauth-provider). */
export interface PendingLogin {
  readonly verifier: string;
  readonly nonce: string;
  /** The API scopes the user approved on the consent page. */
  readonly scopes: readonly string[];
}

/** The upstream tokens: secrets, kept only in the grant's encrypted props. */
export interface UpstreamTokens {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

export interface UpstreamLogin {
  readonly subject: string;
  readonly email?: string;
  /** The ID token's `groups` claim (a string or a list of strings), when present. */
  readonly groups?: readonly string[];
  /** Scopes of the upstream access token as the IdP reported them (RFC 6749 §5.1), or undefined when it did not. */
  readonly grantedScopes?: readonly string[];
  readonly tokens: UpstreamTokens;
}

export interface OidcUpstream {
  /** Fresh PKCE verifier and nonce for one login, to keep (server-side) until the callback. */
  prepare(scopes: readonly string[]): PendingLogin;
  /** The IdP's authorization URL for this login. */
  authorizationUrl(client: ClientCredentials, state: string, pending: PendingLogin): Promise<URL>;
  /** The callback: validates the response (state already checked by the caller, `iss` by RFC 9207), redeems the code. */
  finish(client: ClientCredentials, callback: URL, pending: PendingLogin): Promise<UpstreamLogin>;
  /** A new access token from the refresh token. Throws ReauthenticationRequired on `invalid_grant`. */
  refresh(client: ClientCredentials, refreshToken: string): Promise<UpstreamTokens & { grantedScopes?: readonly string[] }>;
}

/** Per issuer, per isolate. A failed discovery is dropped so the next request retries. */
const discovered = new Map<string, Promise<AuthorizationServer>>();

export function clearUpstreamDiscoveryCache(): void {
  discovered.clear();
}

export function createOidcUpstream(options: OidcUpstreamOptions): OidcUpstream {
  const { provider } = options;
  const issuerUrl = issuerFor(provider, options.clientId);
  const issuer = new URL(issuerUrl);
  const insecure = isLoopbackHttp(issuerUrl);
  const { clock } = options;
  const httpOptions = (endpoint: IdpEndpoint, signal: AbortSignal) => ({
    [customFetch]: idpFetch(options.fetch, endpoint),
    [allowInsecureRequests]: insecure,
    signal,
  });
  const resourceParams: Record<string, string> = provider.resource ? { resource: provider.resource } : {};

  function metadata(): Promise<AuthorizationServer> {
    const { endpoints } = provider;
    if (endpoints) {
      return Promise.resolve({
        issuer: issuerUrl,
        authorization_endpoint: `${issuerUrl}${endpoints.authorization}`,
        token_endpoint: `${issuerUrl}${endpoints.token}`,
      });
    }
    let pending = discovered.get(issuerUrl);
    if (!pending) {
      pending = withTimeout(clock, IDP_TIMEOUT_MS, async (signal) =>
        processDiscoveryResponse(issuer, await discoveryRequest(issuer, { algorithm: "oidc", ...httpOptions("discovery", signal) })),
      ).catch((error: unknown) => {
        throw idpError(error, "discovery");
      });
      discovered.set(issuerUrl, pending);
      // Only evicts, so the next request retries: the failure itself reaches whoever awaits `pending`.
      pending.catch(() => discovered.delete(issuerUrl));
    }
    return pending;
  }

  const clientOf = (credentials: ClientCredentials): Client => ({ client_id: credentials.clientId });

  function tokensFrom(response: TokenEndpointResponse, previousRefresh?: string): UpstreamTokens & { grantedScopes?: string[] } {
    const expiresIn = typeof response.expires_in === "number" && response.expires_in > 0 ? response.expires_in : 300;
    const refreshToken = response.refresh_token ?? previousRefresh;
    return {
      accessToken: response.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      expiresAt: Math.floor(clock.now() / 1000) + expiresIn,
      ...(typeof response.scope === "string" ? { grantedScopes: response.scope.split(" ").filter(Boolean) } : {}),
    };
  }

  return {
    prepare(scopes) {
      return { verifier: generateRandomCodeVerifier(), nonce: generateRandomNonce(), scopes: [...scopes] };
    },

    async authorizationUrl(credentials, state, pending) {
      const as = await metadata();
      if (!as.authorization_endpoint) throw new IdentityProviderResponseInvalid("discovery", "the discovery document has no authorization_endpoint");
      const { verifier, nonce, scopes } = pending;
      const url = new URL(as.authorization_endpoint);
      const params: Record<string, string> = {
        response_type: "code",
        client_id: credentials.clientId,
        redirect_uri: options.redirectUri,
        scope: [...new Set([...provider.loginScopes, ...(provider.issuesApiScopes ? scopes : [])])].join(" "),
        state,
        nonce,
        code_challenge: await calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        ...resourceParams,
        ...(provider.acrValues ? { acr_values: provider.acrValues } : {}),
      };
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      return url;
    },

    async finish(credentials, callback, pending) {
      const as = await metadata();
      const client = clientOf(credentials);
      let params: URLSearchParams;
      try {
        // The caller (finishUpstream) already matched `state` to this browser; oauth4webapi compares it again, checks
        // `iss` (RFC 9207) when the IdP advertises it, and turns `error=` into AuthorizationResponseError.
        params = validateAuthResponse(as, client, callback, callback.searchParams.get("state") ?? "");
      } catch (error) {
        throw idpError(error, "authorization");
      }
      let result: TokenEndpointResponse;
      try {
        result = await withTimeout(clock, IDP_TIMEOUT_MS, async (signal) => {
          const response = await authorizationCodeGrantRequest(
            as,
            client,
            ClientSecretBasic(credentials.clientSecret),
            params,
            options.redirectUri,
            pending.verifier,
            { ...httpOptions("token", signal), additionalParameters: resourceParams },
          );
          // OpenID Connect Core §3.1.3.7: the ID token's iss, aud, exp and nonce (the one this browser's login holds).
          return processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
        });
      } catch (error) {
        throw idpError(error, "token");
      }
      const claims = getValidatedIdTokenClaims(result);
      if (!claims || typeof claims.sub !== "string" || claims.sub === "") {
        throw new IdentityProviderResponseInvalid("token", "the ID token has no subject");
      }
      const tokens = tokensFrom(result);
      const { grantedScopes, ...rest } = tokens;
      const groups = groupsOf(claims["groups"]);
      return {
        subject: claims.sub,
        ...(typeof claims["email"] === "string" ? { email: claims["email"] } : {}),
        ...(groups ? { groups } : {}),
        ...(grantedScopes ? { grantedScopes } : {}),
        tokens: rest,
      };
    },

    async refresh(credentials, refreshToken) {
      const as = await metadata();
      const client = clientOf(credentials);
      try {
        const refreshed = await withTimeout(clock, IDP_TIMEOUT_MS, async (signal) => {
          const response = await refreshTokenGrantRequest(as, client, ClientSecretBasic(credentials.clientSecret), refreshToken, {
            ...httpOptions("token", signal),
            additionalParameters: resourceParams,
          });
          return processRefreshTokenResponse(as, client, response);
        });
        return tokensFrom(refreshed, refreshToken);
      } catch (error) {
        // RFC 6749 §5.2: the refresh token is no longer valid (revoked, expired, the user signed out).
        if (error instanceof ResponseBodyError && error.error === "invalid_grant") {
          throw new ReauthenticationRequired("the identity provider refused to refresh the sign-in (invalid_grant)");
        }
        throw idpError(error, "token");
      }
    },
  };
}

/** `groups` as a list of strings: a string is one group; other values (objects, numbers) are dropped. */
function groupsOf(value: unknown): string[] | undefined {
  if (typeof value === "string" && value !== "") return [value];
  if (!Array.isArray(value)) return undefined;
  const groups = value.filter((g): g is string => typeof g === "string" && g !== "");
  return groups.length ? groups : undefined;
}
