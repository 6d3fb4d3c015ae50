/**
 * Chooses the auth adapter bridge.yaml names (`identity.provider`). One module per provider lives beside this file;
 * this switch is the only place that maps a provider name to one.
 */
import type { RuntimeConfig } from "../config/runtime.ts";
import type { PolicyDefinition } from "../policy/types.ts";
import { createAccessAdapter } from "./access.ts";
import { createPingFederateAdapter } from "./pingfederate.ts";
import { createLazyAccessSaasAdapter, createLazyPingOneAdapter } from "./pingone-lazy.ts";
import type { AuthAdapter } from "./types.ts";

export interface AdapterOptions {
  /** generated/policy.ts: its scope names are advertised (RFC 9728) and named in challenges (RFC 6750 §3). */
  readonly policy?: PolicyDefinition;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** The adapters need the whole runtime config (`upstream` too) and the policy's scope names. */
export function adapterFor(config: RuntimeConfig, options: AdapterOptions = {}): AuthAdapter {
  const identity = config.identity;
  switch (identity.provider) {
    case "pingfederate":
      return createPingFederateAdapter(config, {
        ...(options.policy ? { scopes: options.policy.scopes.map((scope) => scope.name) } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
    case "access":
      if (identity.mode === "self-hosted") {
        return createAccessAdapter(config, {
          ...(options.fetch ? { fetch: options.fetch } : {}),
          ...(options.now ? { now: options.now } : {}),
        });
      }
      // Access for SaaS: as PingOne, the bridge is the OAuth server for MCP clients and an OIDC client of Access
      // (access-saas.ts); Access issues no API scopes, so bridge.yaml's claim rules grant them.
      return createLazyAccessSaasAdapter(config, {
        ...(options.policy ? { scopes: options.policy.scopes } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
    case "pingone":
      // The bridge is the OAuth server for MCP clients and a confidential OIDC client of PingOne (pingone.ts).
      return createLazyPingOneAdapter(config, {
        ...(options.policy ? { scopes: options.policy.scopes } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
  }
}

