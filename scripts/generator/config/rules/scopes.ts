/**
 * `scopes:` against the tools: every scope listed there must be one the spec declares or a tool requires (a typo
 * there is advertised to clients, and the identity provider then refuses every sign-in that asks for it); and where
 * identities carry no API scopes (Access), every scope a tool requires needs a claim rule, or no one can call it.
 */
import type { BridgeConfig } from "../schema.ts";
import type { BuiltModel } from "../../model/build.ts";
import type { ToolModel } from "../../model/types.ts";
import { didYouMean } from "../suggest.ts";
import { dottedPath, listed, type Findings } from "./findings.ts";
import { providerFacts, type Identity } from "./providers.ts";

/**
 * Without `selected`: scopes that nothing in the spec or in an override names (a typo, whatever the selection).
 * With it: scopes only operations left out of the selection name, which the spec does not declare either.
 */
export function checkScopesUsed(
  config: Pick<BridgeConfig, "scopes" | "tools">,
  built: Pick<BuiltModel, "declared" | "specScopes">,
  selected: readonly ToolModel[] | undefined,
  out: Findings,
): void {
  const overrideScopes = [
    ...Object.values(config.tools.overrides).flatMap((override) => override.scopes ?? []),
    ...(config.tools.scopeRules ?? []).flatMap((rule) => rule.scopes),
  ];
  const used = new Set([...(selected ?? []).flatMap((tool) => [...tool.security.mentioned, ...tool.scopes]), ...overrideScopes]);
  for (const name of Object.keys(config.scopes)) {
    if (built.declared.has(name) || used.has(name) || (selected === undefined) === built.specScopes.has(name)) continue;
    const hint = selected
      ? " (only operations that tools.include / tools.exclude leave out require it)"
      : didYouMean(name, [...built.specScopes, ...overrideScopes]) || " (remove it, or require it with tools.overrides.<operationId>.scopes)";
    out.error("BRIDGE_SCOPE_UNKNOWN", ["scopes", name], `${dottedPath(["scopes", name])}: no selected operation or override uses this scope and the spec does not declare it${hint}`, "key");
  }
}

export function checkScopesGranted(identity: Identity, scopes: BridgeConfig["scopes"], tools: readonly ToolModel[], out: Findings): void {
  const facts = providerFacts(identity);
  if (!facts.scopesOnlyFromClaims) return;
  const needing = new Map<string, string[]>();
  for (const tool of tools) for (const scope of tool.scopes) needing.set(scope, [...(needing.get(scope) ?? []), tool.name]);
  for (const [scope, names] of needing) {
    if (Object.hasOwn(scopes, scope) && scopes[scope]?.grantTo) continue;
    const at = Object.hasOwn(scopes, scope) ? ["scopes", scope] : ["identity", "provider"];
    out.error(
      "BRIDGE_SCOPE_UNGRANTED",
      at,
      `${dottedPath(at)}: no claim rule grants "${scope}" and ${facts.name} identities carry no API scopes, so ${listed(names)} can never be called ` +
        `(add ${dottedPath(["scopes", scope, "grantTo"])} with users, emailDomains or groups, or leave the tools out)`,
      "key",
    );
  }
}
