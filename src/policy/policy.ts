/**
 * Policy decisions, from generated/policy.ts data (decision 5): which scopes an identity holds (its token's, plus
 * those claim rules grant), which tools it sees, and which scopes a call is missing. Pure functions: no I/O.
 */
import type { Identity } from "../auth/types.ts";
import type { ClaimRule, PolicyDefinition } from "./types.ts";

/**
 * The token's scopes plus every scope whose claim rule matches the identity, never beyond what the user consented
 * to give the client when there was a consent step (a client granted read only must not gain write through a rule).
 */
export function effectiveScopes(identity: Identity, policy: PolicyDefinition): Set<string> {
  const scopes = new Set(identity.scopes);
  const consented = identity.consentedScopes ? new Set(identity.consentedScopes) : undefined;
  for (const scope of policy.scopes) {
    if (scope.grantTo && matchesRule(identity, scope.grantTo) && (!consented || consented.has(scope.name))) scopes.add(scope.name);
  }
  return scopes;
}

/**
 * Whether consenting to `missing` could give them to this identity. Where the bridge's consent bounds claim rules
 * (Access for SaaS), only the scopes a rule grants the identity can be consented to: a scope no rule grants it is one
 * the account does not have, whatever the consent. Other identities: the identity provider decides (StepUp).
 */
export function consentCouldGrant(identity: Identity, policy: PolicyDefinition, missing: readonly string[]): boolean {
  if (!identity.consentedScopes) return true;
  const ruled = new Set(policy.scopes.filter((scope) => scope.grantTo && matchesRule(identity, scope.grantTo)).map((scope) => scope.name));
  return missing.every((scope) => ruled.has(scope));
}

/** Scopes the tool needs that the caller lacks; empty when the call is allowed. */
export function missingScopes(toolScopes: readonly string[], held: ReadonlySet<string>): string[] {
  return toolScopes.filter((scope) => !held.has(scope));
}

/**
 * Whether the tool is listed to this caller: always when it may call it; otherwise only when bridge.yaml says
 * `visibility: list` (the call then triggers step-up instead of the tool being invisible).
 */
export function isListed(toolName: string, held: ReadonlySet<string>, policy: PolicyDefinition): boolean {
  const entry = policy.tools[toolName];
  if (!entry) return false;
  return entry.visibility === "list" || missingScopes(entry.scopes, held).length === 0;
}

function matchesRule(identity: Identity, rule: ClaimRule): boolean {
  const email = typeof identity.claims["email"] === "string" ? identity.claims["email"].toLowerCase() : undefined;
  if (rule.users?.some((user) => user === identity.subject || (email !== undefined && user.toLowerCase() === email))) return true;
  if (email && rule.emailDomains?.some((domain) => email.endsWith(`@${domain.toLowerCase()}`))) return true;
  const groups = claimList(identity.claims["groups"]);
  return rule.groups?.some((group) => groups.includes(group)) ?? false;
}

/** A claim that may be a list or a single string. */
function claimList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return typeof value === "string" ? [value] : [];
}
