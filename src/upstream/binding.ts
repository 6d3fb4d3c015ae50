/**
 * How upstream requests leave the Worker. By default through the global `fetch` (the public network). When
 * bridge.yaml sets `api.binding`, through that service binding's `fetch` (`env[binding]`, a `services` entry in
 * wrangler.jsonc): the API's Worker is called directly, with no public hop. Only the transport changes: URLs are still
 * built from the base URL, and the upstream client (time limit, retries, byte cap, no redirects) is the same.
 */
import type { RuntimeConfig } from "../config/runtime.ts";
import { UpstreamBindingMissing } from "./errors.ts";

/** What `env[binding]` must offer: a service binding (workerd's `Fetcher`). */
interface ServiceBinding {
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}

export interface UpstreamFetch {
  fetch: typeof fetch;
  /**
   * Set when `api.binding` is configured but this Worker has no such binding: what every tool call answers (`fetch`
   * then rejects with it, should anything call it).
   */
  unavailable?: UpstreamBindingMissing;
}

/**
 * The fetch for upstream calls: the configured service binding's, else `fallback` (the global fetch, or a test's).
 * A configured binding that is missing is reported, not replaced: sending the request over the public network
 * instead would silently change the deployment's topology.
 */
export function upstreamFetchFor(config: RuntimeConfig, env: Record<string, unknown>, fallback: typeof fetch): UpstreamFetch {
  const name = config.api.binding;
  if (name === undefined) return { fetch: fallback };
  const binding = env[name];
  if (!isServiceBinding(binding)) {
    const unavailable = new UpstreamBindingMissing(name);
    return { fetch: (async () => Promise.reject(unavailable)) as typeof fetch, unavailable };
  }
  // Called as a method: workerd's Fetcher needs its own `this`.
  const viaBinding = (input: Request | string | URL, init?: RequestInit) => binding.fetch(input, init);
  return { fetch: viaBinding as typeof fetch };
}

function isServiceBinding(value: unknown): value is ServiceBinding {
  return typeof value === "object" && value !== null && typeof (value as { fetch?: unknown }).fetch === "function";
}
