/**
 * How `adapterFor` reaches the PingOne adapter: pingone.ts loads @cloudflare/workers-oauth-provider, which imports
 * `cloudflare:workers` and so runs only in workerd. It is imported on the first request (wrangler bundles it), so the
 * adapter switch stays importable in Node; bridge.yaml is still checked when the adapter is chosen.
 */
import type { RuntimeConfig } from "../config/schema.ts";
import type { PingOneDeps } from "./pingone.ts";
import { pingOneIdentity } from "./pingone-config.ts";
import type { AuthAdapter } from "./types.ts";

export function createLazyPingOneAdapter(config: RuntimeConfig, deps: PingOneDeps = {}): AuthAdapter {
  pingOneIdentity(config);
  let adapter: Promise<AuthAdapter> | undefined;
  const load = () => {
    adapter ??= import("./pingone.ts").then(({ createPingOneAdapter }) => createPingOneAdapter(config, deps));
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
  };
}
