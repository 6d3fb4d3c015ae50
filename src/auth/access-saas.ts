/**
 * The Cloudflare Access for SaaS adapter (`identity.provider: access`, `mode: saas`; authorization-server family,
 * DESIGN.md decision 3): the OIDC-upstream adapter (oidc-as.ts) configured for an Access for SaaS OIDC application
 * (access-saas-config.ts: issuer from `teamDomain` and the client id, no API scopes from Access).
 */
import type { RuntimeConfig } from "../config/runtime.ts";
import { accessSaasProfile } from "./access-saas-config.ts";
import { createOidcAsAdapter, type OidcAsDeps } from "./oidc-as.ts";
import type { AuthAdapter } from "./types.ts";

export function createAccessSaasAdapter(config: RuntimeConfig, deps: OidcAsDeps = {}): AuthAdapter {
  return createOidcAsAdapter(config, accessSaasProfile(config), deps);
}
