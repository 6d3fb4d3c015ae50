/**
 * A selector in bridge.yaml (`tools.include`, `tools.exclude`, a scope rule's `match`) may only name operationIds,
 * tags and paths the spec has: each one that does not is a diagnostic at its place, with the nearest real name.
 */
import type { ToolSelector } from "../config/schema.ts";
import { configDiagnostic, type ConfigDiagnostic, type ConfigPath, type Locatable } from "../config/errors.ts";
import { didYouMeanOrChoices } from "../config/suggest.ts";
import { pathGlob, type OperationRef } from "./select.ts";

export function selectorProblems(selector: ToolSelector, at: ConfigPath, operations: readonly OperationRef[], loaded: Locatable): ConfigDiagnostic[] {
  const ids = operations.map((op) => op.operationId);
  const tags = [...new Set(operations.flatMap((op) => op.tags))];
  const paths = [...new Set(operations.map((op) => op.path))];
  const problems: ConfigDiagnostic[] = [];
  const check = (where: ConfigPath, value: string, known: readonly string[], what: string): void => {
    if (!known.includes(value)) problems.push(configDiagnostic(loaded, where, `${what} "${value}" does not exist in the spec${suggestion(value, known)}`));
  };
  selector.operations?.forEach((id, i) => check([...at, "operations", i], id, ids, "operationId"));
  selector.tags?.forEach((tag, i) => check([...at, "tags", i], tag, tags, "tag"));
  selector.paths?.forEach((glob, i) => {
    if (!operations.some((op) => pathGlob(glob).test(op.path))) {
      // Like operationIds and tags, a mistyped path gets the nearest spec path as a suggestion.
      const message = `path "${glob}" matches no path in the spec${suggestion(glob, paths)}`;
      problems.push(configDiagnostic(loaded, [...at, "paths", i], message));
    }
  });
  return problems;
}

export function suggestion(value: string, candidates: readonly string[]): string {
  return didYouMeanOrChoices(value, candidates);
}
