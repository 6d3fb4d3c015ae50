/**
 * Chooses the auth adapter bridge.yaml names (`identity.provider`). One module per provider lives beside this file;
 * this switch is the only place that maps a provider name to one.
 */
import type { IdentityConfig } from "../config/schema.ts";
import type { AuthAdapter } from "./types.ts";

export function adapterFor(identity: IdentityConfig): AuthAdapter {
  switch (identity.provider) {
    case "pingfederate":
    case "pingone":
    case "access":
      return unavailable(identity.provider);
  }
}

/**
 * The provider adapters are the next milestone (see README, Status). Until then the Worker refuses every MCP
 * request rather than serve tools without an identity.
 */
function unavailable(provider: string): AuthAdapter {
  return {
    authenticate: async () => ({
      ok: false,
      response: Response.json(
        { error: "temporarily_unavailable", message: `sign-in through ${provider} is not available in this build yet` },
        { status: 503 },
      ),
    }),
  };
}
