/**
 * An adapter whose module is imported on its first request. The OAuth-server adapter (oauth-server.ts) loads
 * @cloudflare/workers-oauth-provider, which imports `cloudflare:workers` and so runs only in workerd: imported late
 * (wrangler still bundles it), the adapter lookup (index.ts) stays importable in Node tooling and tests.
 */
import type { AuthAdapter } from "./types.ts";

/**
 * A failed import is retried on the next request. `reauthenticate` is asked only after `authenticate` succeeded, so
 * the adapter is loaded by then.
 */
export function lazyAdapter(create: () => Promise<AuthAdapter>): AuthAdapter {
  let adapter: Promise<AuthAdapter> | undefined;
  let loaded: AuthAdapter | undefined;
  const load = () => {
    adapter ??= create().then((created) => (loaded = created));
    // Only forgets the failed import, so the next request retries: the failure itself reaches this request.
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
