/**
 * The auth adapter for a resolved config (generated/config.ts `auth`): a lookup from the adapter's name to its module.
 * Each adapter is one module with one options type, which the generator resolved and checked (DESIGN.md decision 9):
 *
 *   pingfederate   pingfederate.ts   PingFederate issues the bridge's tokens (resource-server family)
 *   access         access.ts         Cloudflare Access, self-hosted: Access sits in front (resource-server family)
 *   oauth-server   oauth-server.ts   the bridge is the OAuth server in front of an OIDC provider: PingOne, Access for
 *                                    SaaS (authorization-server family)
 */
import { createAccessAdapter, type AccessOptions } from "./access.ts";
import { lazyAdapter } from "./lazy.ts";
import type { OAuthServerOptions } from "./oauth-server.ts";
import { createPingFederateAdapter, type PingFederateOptions } from "./pingfederate.ts";
import type { AdapterDeps, AuthAdapter } from "./types.ts";

export type AuthConfig =
  | { readonly adapter: "pingfederate"; readonly options: PingFederateOptions }
  | { readonly adapter: "access"; readonly options: AccessOptions }
  | { readonly adapter: "oauth-server"; readonly options: OAuthServerOptions };

type Factories = { readonly [C in AuthConfig as C["adapter"]]: (options: C["options"], deps: AdapterDeps) => AuthAdapter };

const factories: Factories = {
  pingfederate: createPingFederateAdapter,
  access: createAccessAdapter,
  // Imported on the first request: it loads `cloudflare:workers` (lazy.ts).
  "oauth-server": (options, deps) =>
    lazyAdapter(async () => (await import("./oauth-server.ts")).createOAuthServerAdapter(options, deps)),
};

export function adapterFor(auth: AuthConfig, deps: AdapterDeps = {}): AuthAdapter {
  const create = factories[auth.adapter] as (options: AuthConfig["options"], deps: AdapterDeps) => AuthAdapter;
  return create(auth.options, deps);
}
