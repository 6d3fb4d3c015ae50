/**
 * The PingOne adapter (authorization-server family, DESIGN.md decision 3): the OIDC-upstream adapter (oidc-as.ts)
 * configured for PingOne. The issuer comes from bridge.yaml; PingOne issues the API's scopes (asked at login with
 * RFC 8707 `resource` = the API), so the identity holds those it granted.
 */
import type { RuntimeConfig } from "../config/runtime.ts";
import { createOidcAsAdapter, OIDC_AS_PATHS, type OidcAsDeps, type OidcGrantProps } from "./oidc-as.ts";
import { pingOneProfile } from "./pingone-config.ts";
import type { AuthAdapter } from "./types.ts";

export const PINGONE_PATHS = OIDC_AS_PATHS;
export type PingOneDeps = OidcAsDeps;
export type PingOneGrantProps = OidcGrantProps;

export function createPingOneAdapter(config: RuntimeConfig, deps: PingOneDeps = {}): AuthAdapter {
  return createOidcAsAdapter(config, pingOneProfile(config), deps);
}
