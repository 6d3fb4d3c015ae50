/**
 * The Worker variables bridge.yaml names. Their spelling is the schema's (scripts/generator/config/schema.ts `envName`); here, how
 * they relate: a Worker's vars, secrets and bindings share one namespace (`env.<NAME>`), so a name can hold only one
 * thing. The same variable for two different values (a client id and its secret, a base URL and a key) is a
 * mistake, and a variable named like a binding the bridge uses would read the binding instead.
 */
import type { BridgeConfig } from "../schema.ts";
import type { ConfigPath } from "../errors.ts";
import { dottedPath, type Findings } from "./findings.ts";
import { providerFacts } from "./providers.ts";

/** The KV namespace binding workers-oauth-provider keeps grants in (src/auth/oidc-as.ts). */
const OAUTH_KV = "OAUTH_KV";

interface Use {
  at: ConfigPath;
  name: string;
  /** What the value is; the same variable may only be used again for the same kind of value. */
  kind: string;
}

export function checkEnvNames(config: Pick<BridgeConfig, "api" | "identity" | "upstream">, out: Findings): void {
  const uses: Use[] = [];
  const use = (at: ConfigPath, name: string | undefined, kind: string): void => {
    if (name !== undefined) uses.push({ at, name, kind });
  };
  use(["api", "baseUrlEnv"], config.api.baseUrlEnv, "baseUrl");
  use(["identity", "client", "idEnv"], config.identity.client?.idEnv, "clientId");
  use(["identity", "client", "secretEnv"], config.identity.client?.secretEnv, "clientSecret");
  // Two schemes may well take the same key (an API accepting it in a header or the query): same kind, same variable.
  for (const [scheme, secret] of Object.entries(config.upstream.schemes ?? {})) {
    for (const key of ["valueEnv", "usernameEnv", "passwordEnv"] as const) use(["upstream", "schemes", scheme, key], secret[key], key);
  }

  const bindings = new Map<string, string>();
  if (config.api.binding) bindings.set(config.api.binding, "the binding in api.binding");
  if (providerFacts(config.identity).oauthServer) bindings.set(OAUTH_KV, "the KV namespace binding the bridge keeps OAuth grants in");

  const first = new Map<string, Use>();
  for (const current of uses) {
    const binding = bindings.get(current.name);
    if (binding) {
      out.error("BRIDGE_ENV_NAME_TAKEN", current.at, `${dottedPath(current.at)}: ${current.name} is ${binding}; vars and bindings share env, so choose another name`);
      continue;
    }
    const earlier = first.get(current.name);
    if (!earlier) first.set(current.name, current);
    else if (earlier.kind !== current.kind) {
      out.error("BRIDGE_ENV_REUSED", current.at, `${dottedPath(current.at)}: ${current.name} is already ${dottedPath(earlier.at)}; one variable cannot hold both values`);
    }
  }
}
