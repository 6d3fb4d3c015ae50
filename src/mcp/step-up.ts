/**
 * The step-up decision for the tool calls of one request, made before the MCP answer starts (DESIGN.md decision 5):
 * a call beyond the caller's scopes gets the HTTP 403 `insufficient_scope` challenge only where an OAuth server could
 * grant the missing scopes to this caller and it has not already stepped up for them and been refused; every other
 * such call is answered within the request with a tool error saying the account does not have the permission.
 *
 *   no StepUp from the adapter (Access, self-hosted: no OAuth server for MCP clients)      → tool error
 *   claim rules within the bridge's consent (Access for SaaS): no rule grants the scope    → tool error
 *   the adapter knows the identity provider refused it (PingOne: asked at sign-in, not granted;
 *   PingFederate: a token issued after a challenge for it still lacks it)                  → tool error
 *   otherwise (a narrower consent, a first challenge)                                       → 403 challenge
 *
 * Decided here rather than in the SDK's scope-challenge hook because the adapter's answer may need I/O and is asked
 * once per request; the MCP server then reads the result (server.ts `challengeFor`).
 */
import type { Identity, StepUp } from "../auth/types.ts";
import { consentCouldGrant, effectiveScopes, missingScopes } from "../policy/policy.ts";
import type { PolicyDefinition } from "../policy/types.ts";
import type { ToolDefinition } from "../tools/types.ts";
import { calledToolNames } from "./body.ts";

/**
 * The names of the tools this request calls whose missing scopes end in a tool error instead of a challenge (the
 * operation's name for discovery mode's call tool, `callTool`). Tools the caller may call are not in it.
 */
export async function refusedStepUps(
  body: unknown,
  tools: ReadonlyMap<string, ToolDefinition>,
  caller: { readonly identity: Identity; readonly stepUp?: StepUp | undefined },
  policy: PolicyDefinition,
  callTool?: string,
): Promise<ReadonlySet<string>> {
  const refused = new Set<string>();
  const called = calledToolNames(body, callTool);
  if (called.length === 0) return refused;
  const held = effectiveScopes(caller.identity, policy);
  for (const name of new Set(called)) {
    const tool = tools.get(name);
    const missing = tool ? missingScopes(tool.scopes, held) : [];
    if (missing.length === 0) continue;
    const { stepUp } = caller;
    const challenge = stepUp !== undefined && consentCouldGrant(caller.identity, policy, missing) && (await stepUp.challenge(missing));
    if (!challenge) refused.add(name);
  }
  return refused;
}
