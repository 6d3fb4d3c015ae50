/**
 * The spec's security against what bridge.yaml lets the bridge send (model/security.ts decides per operation): an
 * operation whose every alternative needs a credential the bridge does not have must be configured or left out,
 * never generated as if it needed nothing; and every `upstream.schemes` entry must fit a scheme the spec has.
 */
import type { SchemeModel } from "../../model/security.ts";
import type { ToolModel } from "../../model/types.ts";
import { didYouMean } from "../suggest.ts";
import { listed, type Findings } from "./findings.ts";
import type { Upstream } from "./providers.ts";

export function checkSecurity(tools: readonly ToolModel[], schemes: ReadonlyMap<string, SchemeModel>, upstream: Upstream, out: Findings): void {
  const unmet = new Map<string, string[]>();
  for (const tool of tools) {
    if (!tool.security.unmet) continue;
    const key = tool.security.unmet.join(" or ");
    unmet.set(key, [...(unmet.get(key) ?? []), tool.operationId]);
  }
  for (const [alternatives, ids] of unmet) {
    out.error(
      "BRIDGE_SECURITY_UNMET",
      ["upstream"],
      `upstream: the bridge cannot send what ${listed(ids, 5)} ${ids.length === 1 ? "requires" : "require"}: ${alternatives} ` +
        `(configure it, or leave ${ids.length === 1 ? "it" : "them"} out with tools.exclude.operations)`,
      "key",
    );
  }

  const sent = new Set(tools.flatMap((tool) => tool.credentials.map((c) => c.scheme)));
  for (const [name, secret] of Object.entries(upstream.schemes ?? {})) {
    const at = ["upstream", "schemes", name];
    const scheme = schemes.get(name);
    if (!scheme) {
      out.error("BRIDGE_SCHEME_UNKNOWN", at, `upstream.schemes: the spec has no security scheme "${name}"${didYouMean(name, [...schemes.keys()])}`, "key");
      continue;
    }
    const keys = Object.keys(secret).sort().join(",");
    const misfit = misfitOf(name, scheme, keys);
    if (misfit) out.error("BRIDGE_SCHEME_MISFIT", at, `upstream.schemes.${name}: ${misfit}`, "key");
    else if (!sent.has(name)) out.warning("BRIDGE_SCHEME_UNUSED", at, `upstream.schemes.${name} is sent by no selected operation (remove it)`, "key");
  }
}

/** What is wrong with the keys given for this scheme, if anything. */
function misfitOf(name: string, scheme: SchemeModel, keys: string): string | undefined {
  switch (scheme.type) {
    case "apiKey":
      return keys === "valueEnv" ? undefined : `"${name}" is an API key (${scheme.in} ${scheme.name}): give valueEnv only`;
    case "basic":
      return keys === "passwordEnv,usernameEnv" ? undefined : `"${name}" is HTTP basic: give usernameEnv and passwordEnv`;
    case "oauth":
      return `"${name}" is ${scheme.label}: the bridge sends the caller's token (upstream.credentials), so remove this entry`;
    case "mutualTLS":
      return `"${name}" is mutual TLS: the client certificate comes from api.binding (an mtls_certificates binding), so remove this entry`;
    case "unsupported":
      return `"${name}" is ${scheme.label}, which the bridge cannot send: remove this entry and leave its operations out`;
  }
}
