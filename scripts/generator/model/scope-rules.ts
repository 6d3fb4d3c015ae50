/**
 * `tools.scopeRules`: scopes by selector, for specs that declare no OAuth scopes (GitHub's) or whose scopes do not fit
 * the authorization server in front of the bridge. An operation needs every scope of every rule that matches it; when
 * one matches, those replace the spec's security scopes (a per-tool `overrides.<id>.scopes` still wins over both).
 *
 *   scopeRules:
 *     - { match: { methods: [get, head] }, scopes: [api:read] }
 *     - { match: { methods: [post, put, patch, delete] }, scopes: [api:write] }
 */
import type { ScopeRule } from "../config/schema.ts";
import { configDiagnostic, type ConfigDiagnostic, type Locatable } from "../config/errors.ts";
import { matchesAny, type OperationRef } from "./select.ts";
import { selectorProblems, suggestion } from "./selector-check.ts";

/** The union of the scopes of the rules matching `op`, in rule order; undefined when none matches. */
export function scopesByRules(op: OperationRef, rules: readonly ScopeRule[]): string[] | undefined {
  const matching = rules.filter((rule) => matchesAny(op, rule.match));
  return matching.length === 0 ? undefined : [...new Set(matching.flatMap((rule) => rule.scopes))];
}

/**
 * A rule must name what the spec has, only declared scopes, and match at least one operation: a rule that matches
 * nothing protects nothing, which is never what its author meant.
 */
export function scopeRuleProblems(
  rules: readonly ScopeRule[],
  operations: readonly OperationRef[],
  knownScopes: readonly string[],
  loaded: Locatable,
): ConfigDiagnostic[] {
  const problems: ConfigDiagnostic[] = [];
  rules.forEach((rule, i) => {
    const at = ["tools", "scopeRules", i] as const;
    const unknownNames = selectorProblems(rule.match, [...at, "match"], operations, loaded);
    problems.push(...unknownNames);
    if (unknownNames.length === 0 && !operations.some((op) => matchesAny(op, rule.match))) {
      problems.push(configDiagnostic(loaded, [...at, "match"], "this rule matches no operation of the spec"));
    }
    rule.scopes.forEach((scope, j) => {
      if (!knownScopes.includes(scope)) {
        problems.push(configDiagnostic(loaded, [...at, "scopes", j], `scope "${scope}" is declared neither in the spec nor under scopes:${suggestion(scope, knownScopes)}`));
      }
    });
  });
  return problems;
}
