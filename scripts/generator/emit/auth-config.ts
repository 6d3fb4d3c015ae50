/**
 * bridge.yaml's `identity` and `upstream` → the options of the one auth adapter they choose (src/auth/index.ts
 * `AuthConfig`), with every default and derivation done here, so the Worker neither validates nor derives:
 *
 *   pingfederate         → pingfederate: token validation (JWT | introspection) and credentials (token exchange |
 *                          none), each with the bridge's client where it needs one
 *   access, self-hosted  → access: the team's origin as the exact `iss`, its certs URL, the application's AUD tag
 *   access, saas         → oauth-server: issuer `<team>/cdn-cgi/access/sso/oidc` + the client id, Access's endpoints
 *                          and OIDC scopes, no API scopes from the provider
 *   pingone              → oauth-server: PingOne's issuer, its endpoints when the issuer has PingOne's shape, the
 *                          login scopes, the API as RFC 8707 `resource`
 *
 * The rules that refuse a wrong bridge.yaml live with the loader (scripts/generator/config/) and run first, each with
 * its `bridge.yaml:LINE:COL`. What is left here are the combinations an adapter's options cannot express at all (no
 * client where one is needed, credentials the adapter cannot provide): reported with their place too, never
 * passed on for the Worker to trip over.
 */
import type { AuthConfig } from "../../../src/auth/index.ts";
import type { OidcProvider } from "../../../src/auth/oidc-upstream.ts";
import type { ConfigPath } from "../config/errors.ts";
import type { BridgeConfig } from "../config/schema.ts";

export interface AuthProblem {
  readonly at: ConfigPath;
  readonly message: string;
}

/** The combination cannot be served by any adapter: one problem per place. */
export class UnresolvableAuth extends Error {
  readonly problems: readonly AuthProblem[];
  constructor(problems: readonly AuthProblem[]) {
    super(problems.map((p) => p.message).join("\n"));
    this.problems = problems;
  }
}

type Identity = BridgeConfig["identity"];
type Upstream = BridgeConfig["upstream"];

/** Access for SaaS asks only for OIDC scopes: it has no `offline_access` (refresh tokens are an application setting). */
export const ACCESS_SAAS_LOGIN_SCOPES = ["openid", "email", "profile", "groups"] as const;

/**
 * PingOne's issuer, `https://auth.pingone.<region>/<environment id>/as`: its endpoints are `<issuer>/authorize` and
 * `<issuer>/token`, so no discovery is needed. Another issuer (a custom domain) is discovered at run time.
 */
const PINGONE_ISSUER = /^https:\/\/auth\.pingone\.(com|ca|eu|com\.au|sg|asia)\/[0-9a-f-]{36}\/as$/;

/** `resourceName`: the API's title (RFC 9728 `resource_name`, the consent page). */
export function resolveAuth(config: BridgeConfig, resourceName: string): AuthConfig {
  const { identity, upstream } = config;
  const problems: AuthProblem[] = [];
  const resolved = resolveFor(identity, upstream, resourceName, problems);
  if (problems.length > 0 || resolved === undefined) throw new UnresolvableAuth(problems);
  return resolved;
}

function resolveFor(identity: Identity, upstream: Upstream, resourceName: string, problems: AuthProblem[]): AuthConfig | undefined {
  switch (identity.provider) {
    case "pingfederate":
      return pingFederate(identity, upstream, resourceName, problems);
    case "pingone":
      return pingOne(identity, upstream, resourceName, problems);
    case "access":
      return identity.mode === "self-hosted" ? accessSelfHosted(identity, upstream, problems) : accessSaas(identity, upstream, resourceName, problems);
  }
}

function pingFederate(
  identity: Extract<Identity, { provider: "pingfederate" }>,
  upstream: Upstream,
  resourceName: string,
  problems: AuthProblem[],
): AuthConfig | undefined {
  const { client } = identity;
  const needsClient = (why: string) => problems.push({ at: ["identity", "client"], message: `${why} needs identity.client (the bridge's confidential client)` });
  let tokenValidation;
  if (identity.tokenValidation === "introspection") {
    // A reference token has no header: `typ` is a property of JWTs only.
    if (identity.tokenType !== undefined) {
      problems.push({ at: ["identity", "tokenType"], message: "identity.tokenType applies to JWT access tokens: it needs identity.tokenValidation: jwt" });
    }
    if (client) tokenValidation = { method: "introspection" as const, client, ...(identity.introspectionEndpoint && { endpoint: identity.introspectionEndpoint }) };
    else needsClient("identity.tokenValidation: introspection");
  } else {
    tokenValidation = {
      method: "jwt" as const,
      algorithms: identity.algorithms,
      // What PingFederate issues unless told otherwise: no `typ` to check (schema.ts says why).
      tokenType: identity.tokenType ?? ("any" as const),
      ...(identity.jwksUri && { jwksUri: identity.jwksUri }),
    };
  }
  let credentials;
  if (upstream.credentials === "none") credentials = { kind: "none" as const };
  else if (upstream.credentials !== "token-exchange") unavailable(upstream, "pingfederate", ["token-exchange", "none"], problems);
  else if (!client) needsClient("upstream.credentials: token-exchange");
  else {
    credentials = {
      kind: "token-exchange" as const,
      client,
      ...(identity.tokenEndpoint && { tokenEndpoint: identity.tokenEndpoint }),
      ...(upstream.resource && { resource: upstream.resource }),
      ...(upstream.audience && { audience: upstream.audience }),
    };
  }
  if (!tokenValidation || !credentials) return undefined;
  return {
    adapter: "pingfederate",
    options: { issuer: identity.issuer, resource: identity.resource, resourceName, tokenValidation, credentials },
  };
}

function accessSelfHosted(identity: Extract<Identity, { provider: "access" }>, upstream: Upstream, problems: AuthProblem[]): AuthConfig | undefined {
  if (!identity.aud) problems.push({ at: ["identity", "aud"], message: "identity.aud (the Access application's AUD tag) is required with identity.mode: self-hosted" });
  const credentials = upstream.credentials;
  if (credentials !== "access-linked-app" && credentials !== "none") {
    unavailable(upstream, "access, mode: self-hosted", ["access-linked-app", "none"], problems);
    return undefined;
  }
  if (!identity.aud) return undefined;
  // Access's `iss` is exactly the team's origin: no path, no trailing slash.
  const issuer = new URL(identity.teamDomain).origin;
  return {
    adapter: "access",
    options: { issuer, certsUrl: `${issuer}/cdn-cgi/access/certs`, aud: identity.aud, resource: identity.resource, credentials },
  };
}

function accessSaas(
  identity: Extract<Identity, { provider: "access" }>,
  upstream: Upstream,
  resourceName: string,
  problems: AuthProblem[],
): AuthConfig | undefined {
  // Access for SaaS puts the application's client id in its issuer; Access takes no RFC 8707 `resource`.
  const provider: OidcProvider = {
    issuer: `${new URL(identity.teamDomain).origin}/cdn-cgi/access/sso/oidc`,
    issuerEndsWithClientId: true,
    endpoints: { authorization: "/authorization", token: "/token" },
    loginScopes: ACCESS_SAAS_LOGIN_SCOPES,
    issuesApiScopes: false,
  };
  if (!identity.client) {
    problems.push({
      at: ["identity", "client"],
      message: "identity.provider: access with mode: saas needs identity.client (idEnv, secretEnv: the environment variables holding the Access for SaaS application's client id and secret)",
    });
  }
  return oauthServer(identity, upstream, provider, resourceName, "access, mode: saas", problems);
}

function pingOne(identity: Extract<Identity, { provider: "pingone" }>, upstream: Upstream, resourceName: string, problems: AuthProblem[]): AuthConfig | undefined {
  const provider: OidcProvider = {
    issuer: identity.issuer,
    ...(PINGONE_ISSUER.test(identity.issuer) && { endpoints: { authorization: "/authorize", token: "/token" } }),
    loginScopes: identity.loginScopes,
    ...(identity.acrValues && { acrValues: identity.acrValues }),
    ...(upstream.resource && { resource: upstream.resource }),
    issuesApiScopes: true,
  };
  return oauthServer(identity, upstream, provider, resourceName, "pingone", problems);
}

function oauthServer(
  identity: Extract<Identity, { provider: "pingone" | "access" }>,
  upstream: Upstream,
  provider: OidcProvider,
  resourceName: string,
  providerLabel: string,
  problems: AuthProblem[],
): AuthConfig | undefined {
  const credentials = upstream.credentials;
  if (credentials !== "upstream-token" && credentials !== "none") {
    unavailable(upstream, providerLabel, ["upstream-token", "none"], problems);
    return undefined;
  }
  if (!identity.client) return undefined;
  return {
    adapter: "oauth-server",
    options: {
      resource: identity.resource,
      resourceName,
      client: identity.client,
      provider,
      credentials,
      clientIdMetadataDocuments: identity.clientIdMetadataDocuments ?? false,
    },
  };
}

function unavailable(upstream: Upstream, providerLabel: string, available: readonly string[], problems: AuthProblem[]): void {
  problems.push({
    at: ["upstream", "credentials"],
    message: `upstream.credentials: ${upstream.credentials} is not available with identity.provider: ${providerLabel} (use ${available.join(" or ")})`,
  });
}
