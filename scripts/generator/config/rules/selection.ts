/**
 * `tools.include`, `tools.exclude`, `tools.scopeRules` and `tools.overrides` against the spec: every operationId, tag,
 * path glob and method they name must match something, every override must reach a tool, every scope rule must match
 * an operation, and every scope an override or a rule requires must exist. A selector that matches nothing is almost
 * always a typo, and it silently changes which tools exist (or, for a scope rule, leaves operations unprotected).
 */
import type { BridgeConfig, ToolSelector } from "../schema.ts";
import { isSelected, matchesAny, pathGlob, type OperationRef } from "../../model/select.ts";
import { didYouMean, didYouMeanOrChoices } from "../suggest.ts";
import { dottedPath, listed, type Findings } from "./findings.ts";

type Kind = "include" | "exclude";
type Criterion = keyof ToolSelector;

/**
 * Returns the keys (`tools.include`, `tools.exclude`, `tools.scopeRules`, `tools.overrides`) where it found an error: the selection they
 * make is not what the user meant, so rules that count selected tools must not trust it.
 */
export function checkSelection(
  operations: readonly OperationRef[],
  declared: ReadonlyMap<string, string>,
  config: Pick<BridgeConfig, "tools" | "scopes">,
  out: Findings,
): string[] {
  const { tools } = config;
  const broken = new Set<string>();
  const spec = {
    operations: operations.map((op) => op.operationId),
    tags: [...new Set(operations.flatMap((op) => op.tags))],
    paths: [...new Set(operations.map((op) => op.path))],
    methods: [...new Set(operations.map((op) => op.method.toLowerCase()))],
  };
  for (const kind of ["include", "exclude"] as const) {
    const selector = tools[kind];
    if (!selector) continue;
    for (const criterion of ["operations", "tags", "paths", "methods"] as const) {
      selector[criterion]?.forEach((value, i) => {
        const at = ["tools", kind, criterion, i];
        const problem = missing(criterion, value, operations, spec);
        if (problem?.warning) {
          out.warning(problem.code, at, problem.message);
        } else if (problem) {
          out.error(problem.code, at, problem.message);
          broken.add(`tools.${kind}`);
        } else if (kind === "exclude" && tools.include && !excludesSomething(operations, tools.include, criterion, value)) {
          out.warning("BRIDGE_EXCLUDE_UNUSED", at, `${dottedPath(at)}: "${value}" excludes nothing that tools.include selects (remove it)`);
        }
      });
    }
  }
  if (!checkScopeRules(operations, declared, config, spec, out)) broken.add("tools.scopeRules");
  if (!checkOverrides(operations, declared, config, out)) broken.add("tools.overrides");
  const selectedCount = operations.filter((op) => isSelected(op, tools.include, tools.exclude)).length;
  if (operations.length > 0 && selectedCount === 0 && broken.size === 0) {
    const message = `tools.include and tools.exclude select none of the spec's ${operations.length} operations: the bridge would serve no tools`;
    out.warning("BRIDGE_NO_TOOLS", ["tools", tools.include ? "include" : "exclude"], message, "key");
  }
  return [...broken];
}

interface Problem {
  code: string;
  message: string;
  /**
   * A method the spec does not use cannot be a typo (the schema only admits HTTP methods) and changes nothing: a
   * warning, where a name the spec lacks is an error.
   */
  warning?: true;
}

function missing(criterion: Criterion, value: string, operations: readonly OperationRef[], spec: Record<Criterion, string[]>): Problem | undefined {
  switch (criterion) {
    case "operations":
      return spec.operations.includes(value) ? undefined : { code: "BRIDGE_OPERATION_UNKNOWN", message: `operationId "${value}" does not exist in the spec${didYouMeanOrChoices(value, spec.operations)}` };
    case "tags":
      return spec.tags.includes(value) ? undefined : { code: "BRIDGE_TAG_UNKNOWN", message: `tag "${value}" does not exist in the spec${didYouMeanOrChoices(value, spec.tags)}` };
    case "paths":
      // Like operationIds and tags, a mistyped path gets the nearest spec path as a suggestion.
      return operations.some((op) => pathGlob(value).test(op.path))
        ? undefined
        : { code: "BRIDGE_PATH_UNKNOWN", message: `path "${value}" matches no path in the spec${didYouMeanOrChoices(value, spec.paths)}` };
    case "methods":
      return spec.methods.includes(value)
        ? undefined
        : { code: "BRIDGE_METHOD_UNUSED", message: `method "${value}" matches no operation in the spec (its operations use ${listed(spec.methods)})`, warning: true };
  }
}

/** Whether one exclude criterion removes an operation that include selects. */
function excludesSomething(operations: readonly OperationRef[], include: ToolSelector, criterion: Criterion, value: string): boolean {
  const entry = { [criterion]: [value] } as ToolSelector;
  return operations.some((op) => matchesAny(op, include) && matchesAny(op, entry));
}

/**
 * `tools.scopeRules`: every operationId, tag and path a rule names must match an operation, the rule must match one
 * (a rule that matches nothing protects nothing), and its scopes must be declared. False when a rule is broken (the
 * tools' scopes are then not what was meant).
 */
function checkScopeRules(
  operations: readonly OperationRef[],
  declared: ReadonlyMap<string, string>,
  { tools, scopes }: Pick<BridgeConfig, "tools" | "scopes">,
  spec: Record<Criterion, string[]>,
  out: Findings,
): boolean {
  let sound = true;
  const knownScopes = [...new Set([...declared.keys(), ...Object.keys(scopes)])];
  (tools.scopeRules ?? []).forEach((rule, i) => {
    const at = ["tools", "scopeRules", i];
    let namesKnown = true;
    // Methods are left alone: `methods: [get, head]` is how a rule says "reads", whether or not the spec has HEAD.
    for (const criterion of ["operations", "tags", "paths"] as const) {
      rule.match[criterion]?.forEach((value, j) => {
        const problem = missing(criterion, value, operations, spec);
        if (!problem) return;
        out.error(problem.code, [...at, "match", criterion, j], problem.message);
        namesKnown = sound = false;
      });
    }
    if (namesKnown && !operations.some((op) => matchesAny(op, rule.match))) {
      out.error("BRIDGE_SCOPE_RULE_UNMATCHED", [...at, "match"], "this rule matches no operation of the spec");
      sound = false;
    }
    rule.scopes.forEach((scope, j) => {
      if (knownScopes.includes(scope)) return;
      out.error("BRIDGE_SCOPE_RULE_SCOPE_UNKNOWN", [...at, "scopes", j], `scope "${scope}" is declared neither in the spec nor under scopes:${didYouMean(scope, knownScopes)}`);
      sound = false;
    });
  });
  return sound;
}

/** False when an override requires a scope that exists nowhere (the tool's scopes are then not what was meant). */
function checkOverrides(
  operations: readonly OperationRef[],
  declared: ReadonlyMap<string, string>,
  { tools, scopes }: Pick<BridgeConfig, "tools" | "scopes">,
  out: Findings,
): boolean {
  let scopesKnown = true;
  const ids = operations.map((op) => op.operationId);
  const knownScopes = [...new Set([...declared.keys(), ...Object.keys(scopes)])];
  for (const [id, override] of Object.entries(tools.overrides)) {
    const at = ["tools", "overrides", id];
    const op = operations.find((candidate) => candidate.operationId === id);
    if (!op) {
      out.error("BRIDGE_OPERATION_UNKNOWN", at, `operationId "${id}" does not exist in the spec${didYouMean(id, ids)}`, "key");
    } else if (!isSelected(op, tools.include, tools.exclude)) {
      const why = tools.include && !matchesAny(op, tools.include) ? "tools.include does not match it" : "tools.exclude leaves it out";
      // A warning: valid, and harmless (its name still names the operation in "unknown tool" answers), but it does nothing.
      out.warning("BRIDGE_OVERRIDE_UNSELECTED", at, `${dottedPath(at)}: ${id} is not a tool (${why}), so this override does nothing (select the operation, or remove the override)`, "key");
    }
    override.scopes?.forEach((scope, i) => {
      if (knownScopes.includes(scope)) return;
      scopesKnown = false;
      out.error("BRIDGE_OVERRIDE_SCOPE_UNKNOWN", [...at, "scopes", i], `scope "${scope}" is declared neither in the spec nor under scopes:${didYouMean(scope, knownScopes)}`);
    });
  }
  return scopesKnown;
}
