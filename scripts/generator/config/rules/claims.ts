/**
 * Claim rules (`scopes.<name>.grantTo`) against what the chosen provider's identities carry (providers.ts, from
 * src/auth/): a rule that can never match, or whose scope can never reach the API, grants nothing it seems to.
 */
import type { BridgeConfig } from "../schema.ts";
import { dottedPath, type Findings } from "./findings.ts";
import { providerFacts, type Identity, type Upstream } from "./providers.ts";

export function checkClaimRules(identity: Identity, upstream: Upstream, scopes: BridgeConfig["scopes"], out: Findings): void {
  const facts = providerFacts(identity);
  for (const [name, scope] of Object.entries(scopes)) {
    const rule = scope.grantTo;
    if (!rule) continue;
    const at = ["scopes", name, "grantTo"];
    if (facts.providerScopedCredential === upstream.credentials) {
      out.error(
        "BRIDGE_CLAIM_RULE_UNREACHABLE",
        at,
        `${dottedPath(at)}: a claim rule cannot grant "${name}" with ${facts.choice} and upstream.credentials: ${upstream.credentials}: ` +
          `the API gets ${facts.name}'s token, which holds only the scopes ${facts.name} granted ` +
          `(grant the scope at ${facts.name}, or use upstream.credentials: none)`,
        "key",
      );
    }
    // `users` matches the subject or the email address; only entries that look like an address need the email claim.
    const needsEmail: [string, boolean][] = [
      ["emailDomains", (rule.emailDomains?.length ?? 0) > 0],
      ["users", rule.users?.some((user) => user.includes("@")) ?? false],
    ];
    for (const [key, needed] of needsEmail) {
      const why = needed ? facts.missingClaim("email") : undefined;
      if (why) out.error("BRIDGE_CLAIM_UNAVAILABLE", [...at, key], `${dottedPath([...at, key])}: ${facts.name} identities carry no email address here: ${why}`, "key");
    }
    const noGroups = rule.groups?.length ? facts.missingClaim("groups") : undefined;
    if (noGroups) out.error("BRIDGE_CLAIM_UNAVAILABLE", [...at, "groups"], `${dottedPath([...at, "groups"])}: ${facts.name} identities carry no groups here: ${noGroups}`, "key");
  }
}
