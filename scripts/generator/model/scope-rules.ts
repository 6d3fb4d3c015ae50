/**
 * `tools.scopeRules`: scopes by selector, for specs that declare no OAuth scopes (GitHub's) or whose scopes do not fit
 * the authorization server in front of the bridge. An operation needs every scope of every rule that matches it; when
 * one matches, those replace the spec's security scopes (a per-tool `overrides.<id>.scopes` still wins over both).
 * Checked against the spec in scripts/generator/config/rules/selection.ts.
 *
 *   scopeRules:
 *     - { match: { methods: [get, head] }, scopes: [api:read] }
 *     - { match: { methods: [post, put, patch, delete] }, scopes: [api:write] }
 */
import type { ScopeRule } from "../config/schema.ts";
import { matchesAny, type OperationRef } from "./select.ts";

/** The union of the scopes of the rules matching `op`, in rule order; undefined when none matches. */
export function scopesByRules(op: OperationRef, rules: readonly ScopeRule[]): string[] | undefined {
  const matching = rules.filter((rule) => matchesAny(op, rule.match));
  return matching.length === 0 ? undefined : [...new Set(matching.flatMap((rule) => rule.scopes))];
}
