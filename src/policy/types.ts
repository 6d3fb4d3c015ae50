/**
 * The contract of `generated/policy.ts`: which scopes exist, which scopes each tool needs, and the claim rules that
 * grant scopes to identities whose tokens carry none (Cloudflare Access). Policy is data (DESIGN.md decision 5).
 */

export interface ClaimRule {
  /** Subjects or email addresses (exact, case-insensitive for emails). */
  readonly users?: readonly string[];
  /** Email domains (exact match of the part after `@`). */
  readonly emailDomains?: readonly string[];
  /** Group names from the identity's claims. */
  readonly groups?: readonly string[];
}

export interface ScopeDefinition {
  readonly name: string;
  /** Shown in docs and on consent screens. */
  readonly description: string;
  /** Identities matching this rule hold the scope even when their token does not carry it. */
  readonly grantTo?: ClaimRule;
}

export interface ToolPolicy {
  /** Every scope the caller must hold to call the tool. */
  readonly scopes: readonly string[];
  /** hide: listed only to callers holding the scopes; list: listed to all, a call beyond them triggers step-up. */
  readonly visibility: "hide" | "list";
}

export interface PolicyDefinition {
  readonly scopes: readonly ScopeDefinition[];
  /** By tool name, in tool order. */
  readonly tools: Readonly<Record<string, ToolPolicy>>;
}
