/** `generated/policy.ts`: the scopes, each tool's required scopes and visibility, and the claim rules. */
import type { PolicyDefinition, ScopeDefinition, ToolPolicy } from "../../../src/policy/types.ts";
import type { Model } from "../model/types.ts";
import { tsHeader } from "./header.ts";
import { printLiteral } from "./literal.ts";

export function policyDefinition(model: Model): PolicyDefinition {
  const scopes: ScopeDefinition[] = model.scopes.map((s) => (s.grantTo ? { name: s.name, description: s.description, grantTo: s.grantTo } : { name: s.name, description: s.description }));
  const tools: Record<string, ToolPolicy> = {};
  for (const tool of model.tools) tools[tool.name] = { scopes: tool.scopes, visibility: tool.visibility };
  return { scopes, tools };
}

export function emitPolicy(model: Model, typesImport: string): string {
  const policy = policyDefinition(model);
  return [
    tsHeader(`${model.api.specPath} (security requirements) and bridge.yaml (scopes, tools.overrides)`),
    `import type { PolicyDefinition } from ${JSON.stringify(typesImport)};`,
    "",
    `export const policy: PolicyDefinition = ${printLiteral(policy)};`,
    "",
  ].join("\n");
}
