/**
 * oidc-provider configuration shaped like PingFederate: its endpoint paths (so a PingFederate client runs unchanged),
 * open Dynamic Client Registration (RFC 7591) for MCP clients, authorization code + PKCE S256 only (RFC 7636; plain is
 * not implemented by oidc-provider 9), resource indicators (RFC 8707) issuing JWT access tokens (RFC 9068) for the
 * bridge, refresh tokens for clients asking for `offline_access`, introspection (RFC 7662) and revocation (RFC 7009).
 */
import type { JWK } from "jose";
import { errors, type KoaContextWithOIDC, type OidcClient } from "oidc-provider";
import { API_SCOPES, findAccount } from "./accounts.ts";
import { errorPage } from "./pages.ts";
import { TOKEN_EXCHANGE_GRANT, type ResolvedOptions } from "./options.ts";

/** PingFederate's runtime paths (REFERENCE "Identity providers"). */
export const ROUTES = {
  authorization: "/as/authorization.oauth2",
  token: "/as/token.oauth2",
  registration: "/as/clients.oauth2",
  introspection: "/as/introspect.oauth2",
  revocation: "/as/revoke_token.oauth2",
  jwks: "/pf/JWKS",
  userinfo: "/idp/userinfo.openid",
  end_session: "/idp/startSLO.ping",
  pushed_authorization_request: "/as/par.oauth2",
} as const;

export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;

type Secrets = { signingKey: JWK; cookieKeys: string[] };

export function buildConfiguration(options: ResolvedOptions, secrets: Secrets): Record<string, unknown> {
  const bridgeClient = {
    client_id: options.bridgeClient.id,
    client_secret: options.bridgeClient.secret,
    // RFC 8693 §2.1: the bridge authenticates as a confidential client; it never runs an authorization flow itself.
    grant_types: [TOKEN_EXCHANGE_GRANT],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: "client_secret_basic",
  };
  return {
    clients: [bridgeClient, ...options.extraClients],
    jwks: { keys: [secrets.signingKey] },
    cookies: { keys: secrets.cookieKeys },
    routes: ROUTES,
    // The API scopes are listed too because oidc-provider checks a registration's `scope` (RFC 7591 §2) against this
    // list, and MCP clients register with the scopes they will ask for (the SDK sends them, SEP-835). They stay
    // resource scopes: consent rejects them as OIDC scopes (interactions.ts), so only the resource server grants them.
    scopes: [...OIDC_SCOPES, ...API_SCOPES],
    claims: {
      profile: ["name", "preferred_username"],
      email: ["email", "email_verified"],
    },
    findAccount,
    // Put profile/email claims in the ID token too: every access token here is audience-restricted to the bridge
    // (RFC 8707), so the userinfo endpoint, which wants an unrestricted token, is not the way to read them.
    conformIdTokenClaims: false,
    // MCP clients register themselves (open DCR, RFC 7591); most want refresh tokens, so allow that grant by default.
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      id_token_signed_response_alg: "RS256",
    },
    // A client option (settable through DCR too) for opaque access tokens, which resource servers introspect.
    extraClientMetadata: {
      properties: ["access_token_format"],
      validator(_ctx: unknown, key: string, value: unknown) {
        if (key === "access_token_format" && value !== undefined && value !== "jwt" && value !== "opaque") {
          throw new errors.InvalidRequest("access_token_format must be jwt or opaque");
        }
      },
    },
    // Authorization code only (OAuth 2.1 drops implicit); PKCE for every client, S256 the only method offered.
    responseTypes: ["code"],
    pkce: { required: () => true },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    clientBasedCORS: () => true,
    renderError: (ctx: { type: string; body: unknown }, out: { error: string; error_description?: string }) => {
      ctx.type = "html";
      ctx.body = errorPage(out.error, out.error_description);
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // MCP clients should send `resource` (RFC 8707, MCP authorization spec); those that do not get the bridge.
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string | string[]) => oneOf ?? options.bridgeResource,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: KoaContextWithOIDC, indicator: string, client: OidcClient) =>
          resourceServerInfo(options, indicator, client),
      },
    },
    // Only exchanged tokens carry `act` (RFC 8693 §4.1): the acting party is the client that performed the exchange.
    extraTokenClaims: (_ctx: unknown, token: { gty?: string; clientId?: string }) =>
      token.gty === "token_exchange" ? { act: { sub: token.clientId } } : undefined,
    ttl: {
      AccessToken: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        token.resourceServer?.accessTokenTTL ?? options.accessTokenTtl,
      AuthorizationCode: 60,
      ClientCredentials: 600,
      IdToken: 3600,
      RefreshToken: 14 * 24 * 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
      Grant: 14 * 24 * 3600,
    },
    // Issue a refresh token whenever the grant holds offline_access (OIDC Core §11), whatever the client's scopes.
    issueRefreshToken: async (_ctx: unknown, client: OidcClient, source: { scopes: Set<string> }) =>
      client.grantTypeAllowed("refresh_token") && source.scopes.has("offline_access"),
  };
}

/**
 * Only the bridge resource can be obtained through the authorization endpoint; the API's tokens come only from token
 * exchange (token-exchange.ts builds those itself), so an MCP client can never hold an API token directly.
 */
function resourceServerInfo(options: ResolvedOptions, indicator: string, client: OidcClient) {
  if (indicator !== options.bridgeResource) {
    throw new errors.InvalidTarget(`unknown resource ${indicator}`);
  }
  const opaque = client["access_token_format"] === "opaque";
  return {
    scope: API_SCOPES.join(" "),
    audience: options.bridgeResource,
    accessTokenTTL: options.accessTokenTtl,
    accessTokenFormat: opaque ? "opaque" : "jwt",
    ...(opaque ? {} : { jwt: { sign: { alg: "RS256" } } }),
  };
}

/** A public client may introspect only its own tokens (RFC 7662 §4 leaves the policy to the server). */
function introspectionAllowed(ctx: KoaContextWithOIDC, client: OidcClient, token: { clientId?: string }) {
  return client.clientAuthMethod !== "none" || token.clientId === ctx.oidc.client.clientId;
}

function revocationAllowed(_ctx: unknown, client: OidcClient, token: { clientId?: string }) {
  return token.clientId === client.clientId;
}
