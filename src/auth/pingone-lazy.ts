/**
 * How `adapterFor` reaches the OIDC-upstream adapters (PingOne, Access for SaaS): oidc-as.ts loads
 * @cloudflare/workers-oauth-provider, which imports `cloudflare:workers` and so runs only in workerd. The adapter is
 * imported on the first request (wrangler bundles it), so the adapter switch stays importable in Node; bridge.yaml is
 * still checked when the adapter is chosen.
 */
import type { RuntimeConfig } from "../config/runtime.ts";
import { accessSaasProfile } from "./access-saas-config.ts";
import type { OidcAsDeps } from "./oidc-as.ts";
import type { PingOneDeps } from "./pingone.ts";
import { pingOneProfile } from "./pingone-config.ts";
import type { AuthAdapter } from "./types.ts";

export function createLazyPingOneAdapter(config: RuntimeConfig, deps: PingOneDeps = {}): AuthAdapter {
  pingOneProfile(config);
  return lazyAdapter(() => import("./pingone.ts").then(({ createPingOneAdapter }) => createPingOneAdapter(config, deps)));
}

export function createLazyAccessSaasAdapter(config: RuntimeConfig, deps: OidcAsDeps = {}): AuthAdapter {
  accessSaasProfile(config);
  return lazyAdapter(() => import("./access-saas.ts").then(({ createAccessSaasAdapter }) => createAccessSaasAdapter(config, deps)));
}

/**
 * An adapter created on first use; a failed import is retried on the next request. `reauthenticate` is asked only
 * after `authenticate` succeeded, so the adapter is loaded by then.
 */
function lazyAdapter(create: () => Promise<AuthAdapter>): AuthAdapter {
  let adapter: Promise<AuthAdapter> | undefined;
  let loaded: AuthAdapter | undefined;
  const load = () => {
    adapter ??= create().then((created) => (loaded = created));
    adapter.catch(() => (adapter = undefined));
    return adapter;
  };
  return {
    async handle(request, env) {
      return (await load()).handle?.(request, env);
    },
    async authenticate(request, env) {
      return (await load()).authenticate(request, env);
    },
    reauthenticate() {
      const refusal = loaded?.reauthenticate?.();
      if (!refusal) throw new Error("reauthenticate() before the adapter was loaded, or on one that has none");
      return refusal;
    },
  };
}
