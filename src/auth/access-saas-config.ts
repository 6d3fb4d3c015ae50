/**
 * bridge.yaml checks and the provider profile for Cloudflare Access for SaaS (`identity.provider: access`,
 * `mode: saas`), kept apart from access-saas.ts (which loads workers-oauth-provider, a Workers-only module) so they
 * run when the adapter is chosen, in workerd and in Node alike.
 *
 * Issuer: Access for SaaS puts the application's client id in the issuer,
 * `<teamDomain>/cdn-cgi/access/sso/oidc/<client id>` (discovery, /authorization, /token, /userinfo, /jwks below it).
 * The client id is a Worker secret/var (`identity.client.idEnv`), so the issuer is derived per request from the
 * environment, not at build time. The environment variable `ACCESS_OIDC_ISSUER`, when set, replaces the derived
 * issuer (an identity provider that does not have Access's path shape, e.g. the local IdP in the e2e tests; must be
 * https, or http on loopback).
 *
 * Scopes: Access issues no API scopes, so the identity has `scopes: []` plus `email`, `groups` (when the ID token
 * carries them): bridge.yaml's claim rules (`scopes.<name>.grantTo`) grant the API scopes. Access takes no RFC 8707
 * `resource`: `upstream.resource` is not sent.
 */
import type { RuntimeConfig } from "../config/runtime.ts";
import { clientIdMetadataDocumentsEnabled } from "./cimd.ts";
import { assertSecureUrl } from "./endpoints.ts";
import { AuthConfigError, UpstreamCredentialsError } from "./errors.ts";
import type { OidcProviderProfile } from "./oidc-as.ts";

export type AccessIdentity = Extract<RuntimeConfig["identity"], { provider: "access" }>;
export type AccessSaasIdentity = AccessIdentity & { readonly client: NonNullable<AccessIdentity["client"]> };

/** Replaces the issuer derived from `teamDomain` and the client id. */
export const ACCESS_ISSUER_ENV = "ACCESS_OIDC_ISSUER";

/** Access for SaaS's OIDC scopes: it has no `offline_access` (refresh tokens are an application setting). */
export const ACCESS_SAAS_LOGIN_SCOPES = ["openid", "email", "profile", "groups"] as const;

/** Checks the configuration once, at creation, so a wrong bridge.yaml fails at deploy rather than per request. */
export function accessSaasIdentity(config: RuntimeConfig): AccessSaasIdentity {
  const identity = config.identity;
  if (identity.provider !== "access" || identity.mode !== "saas") {
    throw new AuthConfigError(
      `the Access for SaaS adapter was given identity.provider: ${identity.provider}` +
        (identity.provider === "access" ? `, mode: ${identity.mode}` : ""),
    );
  }
  if (!identity.client) {
    throw new AuthConfigError(
      "identity.provider: access with mode: saas needs identity.client (idEnv, secretEnv: the environment variables " +
        "holding the Access for SaaS application's client id and secret)",
    );
  }
  if (config.upstream.credentials !== "upstream-token" && config.upstream.credentials !== "none") {
    throw new AuthConfigError(
      `upstream.credentials: ${config.upstream.credentials} is not available with identity.provider: access, mode: saas ` +
        "(use upstream-token for the Access-issued access token, or none for an API that needs no credentials)",
    );
  }
  for (const [name, url] of [
    ["identity.teamDomain", identity.teamDomain],
    ["identity.resource", identity.resource],
  ] as const) {
    const problem = assertSecureUrl(url, name);
    if (problem) throw new AuthConfigError(problem);
  }
  const team = new URL(identity.teamDomain);
  if (team.pathname.replace(/\/+$/, "") !== "" || team.search !== "" || team.hash !== "") {
    throw new AuthConfigError(
      `identity.teamDomain must be the team's origin, e.g. https://<team>.cloudflareaccess.com: ${identity.teamDomain}`,
    );
  }
  return { ...identity, teamDomain: team.origin, client: identity.client };
}

/** `<teamDomain>/cdn-cgi/access/sso/oidc/<client id>`. */
export function accessSaasIssuer(teamDomain: string, clientId: string): string {
  return `${teamDomain.replace(/\/+$/, "")}/cdn-cgi/access/sso/oidc/${encodeURIComponent(clientId)}`;
}

/** Access for SaaS as an upstream OIDC provider (oidc-as.ts). */
export function accessSaasProfile(config: RuntimeConfig): OidcProviderProfile {
  const identity = accessSaasIdentity(config);
  return {
    displayName: "Cloudflare Access",
    resource: identity.resource,
    client: identity.client,
    issuer(env, client) {
      const override = env[ACCESS_ISSUER_ENV];
      if (override === undefined || override === "") return accessSaasIssuer(identity.teamDomain, client.clientId);
      if (typeof override !== "string" || !URL.canParse(override) || assertSecureUrl(override, ACCESS_ISSUER_ENV)) {
        throw new UpstreamCredentialsError(`${ACCESS_ISSUER_ENV} must be an https URL (http only on loopback)`);
      }
      return override;
    },
    loginScopes: ACCESS_SAAS_LOGIN_SCOPES,
    issuesApiScopes: false,
    clientIdMetadataDocuments: clientIdMetadataDocumentsEnabled(identity.clientIdMetadataDocuments),
  };
}
