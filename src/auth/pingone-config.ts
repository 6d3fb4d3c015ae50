/**
 * bridge.yaml checks for the PingOne adapter and its provider profile, kept apart from pingone.ts (which loads
 * workers-oauth-provider, a Workers-only module) so they run when the adapter is chosen, in workerd and in Node alike.
 */
import type { RuntimeConfig } from "../config/runtime.ts";
import { clientIdMetadataDocumentsEnabled } from "./cimd.ts";
import { assertSecureUrl } from "./endpoints.ts";
import { AuthConfigError } from "./errors.ts";
import type { OidcProviderProfile } from "./oidc-as.ts";

export type PingOneIdentity = Extract<RuntimeConfig["identity"], { provider: "pingone" }>;

/** Checks the configuration once, at creation, so a wrong bridge.yaml fails at deploy rather than per request. */
export function pingOneIdentity(config: RuntimeConfig): PingOneIdentity {
  const identity = config.identity;
  if (identity.provider !== "pingone") {
    throw new AuthConfigError(`the PingOne adapter was given identity.provider: ${identity.provider}`);
  }
  if (config.upstream.credentials !== "upstream-token" && config.upstream.credentials !== "none") {
    throw new AuthConfigError(
      `upstream.credentials: ${config.upstream.credentials} is not available with identity.provider: pingone ` +
        "(use upstream-token, or none for an API that needs no credentials)",
    );
  }
  if (config.upstream.credentials === "upstream-token" && !config.upstream.resource) {
    throw new AuthConfigError(
      "upstream.credentials: upstream-token with identity.provider: pingone needs upstream.resource " +
        "(the API's resource, sent to PingOne as the RFC 8707 `resource` of the sign-in)",
    );
  }
  for (const [name, url] of [
    ["identity.issuer", identity.issuer],
    ["identity.resource", identity.resource],
  ] as const) {
    const problem = assertSecureUrl(url, name);
    if (problem) throw new AuthConfigError(problem);
  }
  return identity;
}

/** PingOne as an upstream OIDC provider (oidc-as.ts): fixed issuer, `resource` = the API, API scopes issued by PingOne. */
export function pingOneProfile(config: RuntimeConfig): OidcProviderProfile {
  const identity = pingOneIdentity(config);
  return {
    displayName: "PingOne",
    resource: identity.resource,
    client: identity.client,
    issuer: () => identity.issuer,
    loginScopes: identity.loginScopes,
    ...(identity.acrValues ? { acrValues: identity.acrValues } : {}),
    ...(config.upstream.resource ? { upstreamResource: config.upstream.resource } : {}),
    issuesApiScopes: true,
    clientIdMetadataDocuments: clientIdMetadataDocumentsEnabled(identity.clientIdMetadataDocuments),
  };
}
